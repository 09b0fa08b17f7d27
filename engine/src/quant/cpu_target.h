// Compiling a region of kernels for one instruction set:
//   ZL_TARGET_BEGIN("avx2,fma")  namespace avx2 { ... }  ZL_TARGET_END
// with GCC's target pragma or clang's attribute push, so the rest of the
// project stays generic x86-64 and only a CPU that has the instructions runs
// them (the callers dispatch at run time). Inside a region GCC's
// -Wmaybe-uninitialized is off: GCC 12's AVX-512 headers pass an "undefined"
// register that the warning then flags (GCC bug 105593).
#pragma once

#if defined(__x86_64__)
#include <immintrin.h>
#define ZL_X86 1
#endif

#define ZL_PRAGMA(text) _Pragma(#text)
#ifdef __clang__
#define ZL_TARGET_BEGIN(isa) ZL_PRAGMA(clang attribute push(__attribute__((target(isa))), apply_to = function))
#define ZL_TARGET_END ZL_PRAGMA(clang attribute pop)
#else
#define ZL_TARGET_BEGIN(isa)                                                                                           \
    ZL_PRAGMA(GCC push_options)                                                                                        \
    ZL_PRAGMA(GCC target(isa))                                                                                         \
    ZL_PRAGMA(GCC diagnostic push)                                                                                     \
    ZL_PRAGMA(GCC diagnostic ignored "-Wmaybe-uninitialized")
#define ZL_TARGET_END                                                                                                  \
    ZL_PRAGMA(GCC diagnostic pop)                                                                                      \
    ZL_PRAGMA(GCC pop_options)
#endif
