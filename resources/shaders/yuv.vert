// Draws the letterboxed video quad. `position` is the unit quad (-1..1); `scale` shrinks it to
// the picture's aspect ratio inside the widget.
attribute vec2 position;
attribute vec2 texCoord;
uniform vec2 scale;
varying vec2 v_texCoord;

void main()
{
    v_texCoord = texCoord;
    gl_Position = vec4(position * scale, 0.0, 1.0);
}
