#pragma once

// GL 3 / GLES 3 names that not every GL header has (include after the Qt OpenGL headers).

#ifndef GL_UNPACK_ROW_LENGTH
#define GL_UNPACK_ROW_LENGTH 0x0CF2
#endif
#ifndef GL_RED
#define GL_RED 0x1903
#endif
#ifndef GL_R8
#define GL_R8 0x8229
#endif
#ifndef GL_LUMINANCE
#define GL_LUMINANCE 0x1909
#endif
