// An overlay image with premultiplied alpha, blended with glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA).
#ifdef GL_ES
precision mediump float;
#endif

varying vec2 v_texCoord;
uniform sampler2D image;

void main()
{
    gl_FragColor = texture2D(image, v_texCoord);
}
