// Dense kernel for Bounds' back-substitution, compiled for AVX2+FMA and chosen at run time
// (Swift code is compiled for the x86-64 baseline, whose SSE2 is a quarter as fast). Portable
// builds (other architectures, or CPUs without AVX2) use the Swift kernel instead.
#include "CBoundsKernels.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

int certus_has_avx2_fma(void) {
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

__attribute__((target("avx2,fma")))
void certus_multiply_panels_avx2(const double *a, long rows, long n,
                                 const int32_t *active, long active_count,
                                 const double *panels, long m, double *out) {
    long panel_count = (m + 3) / 4;
    for (long r = 0; r < rows; r += 4) {
        long block = rows - r < 4 ? rows - r : 4;
        if (block == 1) {
            // A last single row (nine rows of a node's cases leave one): four panels at a time,
            // instead of a block of four rows three of which would be thrown away.
            const double *a0 = a + r * n;
            long p = 0;
            for (; p < panel_count; p += 4) {
                long width_panels = panel_count - p < 4 ? panel_count - p : 4;
                const double *q0 = panels + p * n * 4;
                const double *q1 = width_panels > 1 ? q0 + n * 4 : q0;
                const double *q2 = width_panels > 2 ? q0 + 2 * n * 4 : q0;
                const double *q3 = width_panels > 3 ? q0 + 3 * n * 4 : q0;
                __m256d s0 = _mm256_setzero_pd(), s1 = _mm256_setzero_pd();
                __m256d s2 = _mm256_setzero_pd(), s3 = _mm256_setzero_pd();
                for (long k = 0; k < active_count; k++) {
                    long i = active[k];
                    __m256d c = _mm256_broadcast_sd(a0 + i);
                    s0 = _mm256_fmadd_pd(c, _mm256_loadu_pd(q0 + i * 4), s0);
                    s1 = _mm256_fmadd_pd(c, _mm256_loadu_pd(q1 + i * 4), s1);
                    s2 = _mm256_fmadd_pd(c, _mm256_loadu_pd(q2 + i * 4), s2);
                    s3 = _mm256_fmadd_pd(c, _mm256_loadu_pd(q3 + i * 4), s3);
                }
                double tile[16];
                _mm256_storeu_pd(tile, s0); _mm256_storeu_pd(tile + 4, s1);
                _mm256_storeu_pd(tile + 8, s2); _mm256_storeu_pd(tile + 12, s3);
                long width = m - p * 4 < 16 ? m - p * 4 : 16;
                for (long t = 0; t < width; t++) out[r * m + p * 4 + t] = tile[t];
            }
            continue;
        }
        const double *a0 = a + r * n;
        const double *a1 = block > 1 ? a0 + n : a0;
        const double *a2 = block > 2 ? a0 + 2 * n : a0;
        const double *a3 = block > 3 ? a0 + 3 * n : a0;
        long p = 0;
        // Two panels (eight columns) at a time: eight accumulators of four doubles.
        for (; p + 2 <= panel_count; p += 2) {
            const double *q0 = panels + p * n * 4, *q1 = q0 + n * 4;
            __m256d s00 = _mm256_setzero_pd(), s01 = _mm256_setzero_pd();
            __m256d s10 = _mm256_setzero_pd(), s11 = _mm256_setzero_pd();
            __m256d s20 = _mm256_setzero_pd(), s21 = _mm256_setzero_pd();
            __m256d s30 = _mm256_setzero_pd(), s31 = _mm256_setzero_pd();
            for (long k = 0; k < active_count; k++) {
                long i = active[k];
                __m256d x0 = _mm256_loadu_pd(q0 + i * 4), x1 = _mm256_loadu_pd(q1 + i * 4);
                __m256d c = _mm256_broadcast_sd(a0 + i);
                s00 = _mm256_fmadd_pd(c, x0, s00); s01 = _mm256_fmadd_pd(c, x1, s01);
                c = _mm256_broadcast_sd(a1 + i);
                s10 = _mm256_fmadd_pd(c, x0, s10); s11 = _mm256_fmadd_pd(c, x1, s11);
                c = _mm256_broadcast_sd(a2 + i);
                s20 = _mm256_fmadd_pd(c, x0, s20); s21 = _mm256_fmadd_pd(c, x1, s21);
                c = _mm256_broadcast_sd(a3 + i);
                s30 = _mm256_fmadd_pd(c, x0, s30); s31 = _mm256_fmadd_pd(c, x1, s31);
            }
            double tile[4][8];
            _mm256_storeu_pd(tile[0], s00); _mm256_storeu_pd(tile[0] + 4, s01);
            _mm256_storeu_pd(tile[1], s10); _mm256_storeu_pd(tile[1] + 4, s11);
            _mm256_storeu_pd(tile[2], s20); _mm256_storeu_pd(tile[2] + 4, s21);
            _mm256_storeu_pd(tile[3], s30); _mm256_storeu_pd(tile[3] + 4, s31);
            long width = m - p * 4 < 8 ? m - p * 4 : 8;
            for (long b = 0; b < block; b++)
                for (long t = 0; t < width; t++) out[(r + b) * m + p * 4 + t] = tile[b][t];
        }
        for (; p < panel_count; p++) {
            const double *q0 = panels + p * n * 4;
            __m256d s0 = _mm256_setzero_pd(), s1 = _mm256_setzero_pd();
            __m256d s2 = _mm256_setzero_pd(), s3 = _mm256_setzero_pd();
            for (long k = 0; k < active_count; k++) {
                long i = active[k];
                __m256d x0 = _mm256_loadu_pd(q0 + i * 4);
                s0 = _mm256_fmadd_pd(_mm256_broadcast_sd(a0 + i), x0, s0);
                s1 = _mm256_fmadd_pd(_mm256_broadcast_sd(a1 + i), x0, s1);
                s2 = _mm256_fmadd_pd(_mm256_broadcast_sd(a2 + i), x0, s2);
                s3 = _mm256_fmadd_pd(_mm256_broadcast_sd(a3 + i), x0, s3);
            }
            double tile[4][4];
            _mm256_storeu_pd(tile[0], s0); _mm256_storeu_pd(tile[1], s1);
            _mm256_storeu_pd(tile[2], s2); _mm256_storeu_pd(tile[3], s3);
            long width = m - p * 4 < 4 ? m - p * 4 : 4;
            for (long b = 0; b < block; b++)
                for (long t = 0; t < width; t++) out[(r + b) * m + p * 4 + t] = tile[b][t];
        }
    }
}

__attribute__((target("avx2,fma")))
static double certus_lane_sum(__m256d v) {
    double t[4];
    _mm256_storeu_pd(t, v);
    return (t[0] + t[1]) + (t[2] + t[3]);
}

__attribute__((target("avx2,fma")))
void certus_interval_image_avx2(const double *w, long m, long n, const double *bias,
                                const double *l, const double *u, const double *mag,
                                double *low, double *high, double *size) {
    const __m256d zero = _mm256_setzero_pd();
    const __m256d sign = _mm256_set1_pd(-0.0);
    for (long i = 0; i < m; i++) {
        const double *row = w + i * n;
        // Two sets of accumulators, so that six independent chains keep the FMA units busy.
        __m256d lo0 = zero, hi0 = zero, sz0 = zero, lo1 = zero, hi1 = zero, sz1 = zero;
        long j = 0;
        for (; j + 8 <= n; j += 8) {
            __m256d w0 = _mm256_loadu_pd(row + j), w1 = _mm256_loadu_pd(row + j + 4);
            __m256d l0 = _mm256_loadu_pd(l + j), l1 = _mm256_loadu_pd(l + j + 4);
            __m256d u0 = _mm256_loadu_pd(u + j), u1 = _mm256_loadu_pd(u + j + 4);
            __m256d p0 = _mm256_max_pd(w0, zero), q0 = _mm256_min_pd(w0, zero);
            __m256d p1 = _mm256_max_pd(w1, zero), q1 = _mm256_min_pd(w1, zero);
            lo0 = _mm256_fmadd_pd(p0, l0, _mm256_fmadd_pd(q0, u0, lo0));
            hi0 = _mm256_fmadd_pd(p0, u0, _mm256_fmadd_pd(q0, l0, hi0));
            sz0 = _mm256_fmadd_pd(_mm256_andnot_pd(sign, w0), _mm256_loadu_pd(mag + j), sz0);
            lo1 = _mm256_fmadd_pd(p1, l1, _mm256_fmadd_pd(q1, u1, lo1));
            hi1 = _mm256_fmadd_pd(p1, u1, _mm256_fmadd_pd(q1, l1, hi1));
            sz1 = _mm256_fmadd_pd(_mm256_andnot_pd(sign, w1), _mm256_loadu_pd(mag + j + 4), sz1);
        }
        double lo = bias[i] + (certus_lane_sum(lo0) + certus_lane_sum(lo1));
        double hi = bias[i] + (certus_lane_sum(hi0) + certus_lane_sum(hi1));
        double sz = (bias[i] < 0 ? -bias[i] : bias[i]) + (certus_lane_sum(sz0) + certus_lane_sum(sz1));
        for (; j < n; j++) {
            double x = row[j];
            double p = x > 0 ? x : 0, q = x < 0 ? x : 0;
            lo += p * l[j] + q * u[j];
            hi += p * u[j] + q * l[j];
            sz += (x < 0 ? -x : x) * mag[j];
        }
        low[i] = lo;
        high[i] = hi;
        size[i] = sz;
    }
}

#else

int certus_has_avx2_fma(void) { return 0; }

void certus_interval_image_avx2(const double *w, long m, long n, const double *bias,
                                const double *l, const double *u, const double *mag,
                                double *low, double *high, double *size) {
    (void)w; (void)m; (void)n; (void)bias; (void)l; (void)u; (void)mag; (void)low; (void)high; (void)size;
}

void certus_multiply_panels_avx2(const double *a, long rows, long n,
                                 const int32_t *active, long active_count,
                                 const double *panels, long m, double *out) {
    (void)a; (void)rows; (void)n; (void)active; (void)active_count; (void)panels; (void)m; (void)out;
}

#endif
