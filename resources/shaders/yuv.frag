// YUV 4:2:0 from three single-channel textures to RGB. The range (limited or full) and the
// matrix (BT.601 or BT.709) come in as the constants YUV_OFFSET and YUV_TO_RGB, defined in front
// of this source (YuvPainter::fragmentShaderSource()): one program per combination, because
// constants make software renderers such as llvmpipe markedly faster than uniforms.
#ifdef GL_ES
#ifdef GL_FRAGMENT_PRECISION_HIGH
precision highp float;
#else
precision mediump float;
#endif
#endif

varying vec2 v_texCoord;
uniform sampler2D planeY;
uniform sampler2D planeU;
uniform sampler2D planeV;
const vec3 yuvOffset = YUV_OFFSET;
const mat3 yuvToRgb = YUV_TO_RGB;
uniform float dim;

void main()
{
    vec3 yuv = vec3(texture2D(planeY, v_texCoord).r,
                    texture2D(planeU, v_texCoord).r,
                    texture2D(planeV, v_texCoord).r) - yuvOffset;
    vec3 rgb = clamp(yuvToRgb * yuv, 0.0, 1.0);
    gl_FragColor = vec4(rgb * dim, 1.0);
}
