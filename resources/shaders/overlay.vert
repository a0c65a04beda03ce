// Draws part of an overlay image: `position` is the unit quad (-1..1) over the viewport, and
// `texRect` (x, y, width, height in 0..1) is the part of the image it shows.
attribute vec2 position;
attribute vec2 texCoord;
uniform vec4 texRect;
varying vec2 v_texCoord;

void main()
{
    v_texCoord = texRect.xy + texCoord * texRect.zw;
    gl_Position = vec4(position, 0.0, 1.0);
}
