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

/// For each row i of the row-major m x n matrix w, the three sums of an interval image over
/// the box [l, u] (magnitudes mag):
///   low[i]  = bias[i] + sum_j max(w_ij, 0) * l_j + min(w_ij, 0) * u_j
///   high[i] = bias[i] + sum_j max(w_ij, 0) * u_j + min(w_ij, 0) * l_j
///   size[i] = |bias[i]| + sum_j |w_ij| * mag_j
/// accumulated in four lanes by fused multiply-adds (one of each pair of products is an exact
/// zero, so each term is rounded once) and combined at the end: a fixed summation order, so
/// the classical error bound of a dot product of n + 1 terms applies to each sum.
/// Call only when certus_has_avx2_fma() returns 1.
void certus_interval_image_avx2(const double *w, long m, long n, const double *bias,
                                const double *l, const double *u, const double *mag,
                                double *low, double *high, double *size);

#endif
