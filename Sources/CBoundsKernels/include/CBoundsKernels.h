#ifndef CBOUNDSKERNELS_H
#define CBOUNDSKERNELS_H

#include <stdint.h>

/// Whether this machine can run `certus_multiply_panels_avx2` (x86-64 with AVX2 and FMA).
int certus_has_avx2_fma(void);

/// out (rows x m) = a (rows x n) * W, where W (n x m) is stored as column panels of width 4
/// (panel p holds columns 4p..4p+3 of every row, row after row, zero-padded), and only the
/// inner indices listed in `active` (those where some row of `a` is non-zero) are visited.
/// Each output entry is a sum over `active` in increasing order, one rounding per fused
/// multiply-add, so the classical error bound of a dot product applies to it.
/// Call only when certus_has_avx2_fma() returns 1.
void certus_multiply_panels_avx2(const double *a, long rows, long n,
                                 const int32_t *active, long active_count,
                                 const double *panels, long m, double *out);

#endif
