// Draws the video quad: `position` is the unit quad (-1..1) over the viewport, which the
// painter sets to where the picture goes (aspect ratio kept).
attribute vec2 position;
attribute vec2 texCoord;
varying vec2 v_texCoord;

void main()
{
    v_texCoord = texCoord;
    gl_Position = vec4(position, 0.0, 1.0);
}
