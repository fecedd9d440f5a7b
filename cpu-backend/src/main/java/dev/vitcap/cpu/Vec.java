package dev.vitcap.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.nio.ByteOrder;

/**
 * Vector API helpers: loads and stores at a tensor's element index, and the transcendental functions
 * the kernels need, written as polynomials with FMA so they stay in registers (Java 17's lane-wise
 * EXP calls out of line and is several times slower here). Each agrees with {@link Math} to about
 * 4e-7 absolute over the float range the kernels see.
 *
 * <p>How the kernels are written, and why: C2 turns Vector API calls into SIMD instructions only when
 * every call on a vector is inlined into one compiled method, and it stops inlining once a method's
 * graph passes a node budget ({@code NodeCountInliningCutoff}); past it, each vector is boxed and each
 * operation runs a slow Java fallback. So every hot loop lives in a small method of its own with at
 * most a couple of these functions in it, and loops that would need many are split into passes.
 */
final class Vec {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private Vec() {
    }

    /** The largest multiple of the vector length not above {@code n}: the end of the vector loop. */
    static int bound(int n) {
        return n - n % L;
    }

    static FloatVector load(CpuTensor t, int i) {
        return FloatVector.fromByteBuffer(S, t.buf, (t.off + i) << 2, ORDER);
    }

    static void store(FloatVector v, CpuTensor t, int i) {
        v.intoByteBuffer(t.buf, (t.off + i) << 2, ORDER);
    }

    static FloatVector splat(float v) {
        return FloatVector.broadcast(S, v);
    }

    private static final FloatVector ONE = splat(1f), HALF = splat(0.5f);
    private static final float LOG2E = 1.44269504088896341f, LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float MAGIC = 12582912f; // 1.5·2^23: adding it rounds to the nearest integer

    /** e^x: x = n·ln2 + r with |r| ≤ ln2/2, e^r by Cephes' degree-6 polynomial, 2^n built in the exponent bits. */
    static FloatVector exp(FloatVector x) {
        x = x.max(-87.3f).min(88.7f);
        FloatVector shifted = x.fma(splat(LOG2E), splat(MAGIC));
        FloatVector n = shifted.sub(MAGIC);
        FloatVector r = n.fma(splat(-LN2_HI), x);
        r = n.fma(splat(-LN2_LO), r);
        FloatVector p = splat(1.9875691500e-4f);
        p = p.fma(r, splat(1.3981999507e-3f));
        p = p.fma(r, splat(8.3334519073e-3f));
        p = p.fma(r, splat(4.1665795894e-2f));
        p = p.fma(r, splat(1.6666665459e-1f));
        p = p.fma(r, splat(5.0000001201e-1f));
        p = p.mul(r.mul(r)).add(r).add(ONE);
        IntVector bits = ((IntVector) shifted.reinterpretAsInts().sub(Float.floatToRawIntBits(MAGIC)).add(127))
                .lanewise(VectorOperators.LSHL, 23);
        return p.mul(bits.reinterpretAsFloats());
    }

    /** σ(x) = ½ + ½·tanh(x/2): one division, like {@link #tanh}. */
    static FloatVector sigmoid(FloatVector x) {
        return tanh(x.mul(0.5f)).fma(HALF, HALF);
    }

    /** Beyond ±TANH_CLAMP, tanh is 1 to within float rounding (1 − 2.3e-7 there). */
    private static final float TANH_CLAMP = 7.99881172180175781f;

    /**
     * tanh as an odd degree-13 over an even degree-6 polynomial in x (the minimax rational fit Eigen
     * uses), within 4e-7 of {@link Math#tanh}: eleven FMAs and one division, 1.6 times as fast here as
     * the form through e^{-2|x|}, which needs an exponential and two divisions. The decoder's attention
     * evaluates it for every token, attention unit and step.
     */
    static FloatVector tanh(FloatVector x) {
        x = x.max(-TANH_CLAMP).min(TANH_CLAMP);
        FloatVector x2 = x.mul(x);
        FloatVector p = splat(-2.76076847742355e-16f);
        p = p.fma(x2, splat(2.00018790482477e-13f));
        p = p.fma(x2, splat(-8.60467152213735e-11f));
        p = p.fma(x2, splat(5.12229709037114e-08f));
        p = p.fma(x2, splat(1.48572235717979e-05f));
        p = p.fma(x2, splat(6.37261928875436e-04f));
        p = p.fma(x2, splat(4.89352455891786e-03f));
        FloatVector q = splat(1.19825839466702e-06f);
        q = q.fma(x2, splat(1.18534705686654e-04f));
        q = q.fma(x2, splat(2.26843463243900e-03f));
        q = q.fma(x2, splat(4.89352518554385e-03f));
        return x.mul(p).div(q);
    }

    /**
     * erf by Abramowitz and Stegun 7.1.28, {@code 1 − (1 + a1·x + … + a6·x⁶)^−16} (absolute error ≤ 3e-7):
     * a polynomial, four squarings and one division, cheaper than the forms that need an exponential.
     */
    static FloatVector erf(FloatVector x) {
        FloatVector a = x.abs().min(10f);
        FloatVector p = splat(0.0000430638f);
        p = p.fma(a, splat(0.0002765672f));
        p = p.fma(a, splat(0.0001520143f));
        p = p.fma(a, splat(0.0092705272f));
        p = p.fma(a, splat(0.0422820123f));
        p = p.fma(a, splat(0.0705230784f));
        p = p.fma(a, ONE);
        p = p.mul(p);
        p = p.mul(p);
        p = p.mul(p);
        p = p.mul(p);
        FloatVector y = ONE.sub(ONE.div(p));
        return y.blend(y.neg(), x.lt(0f));
    }

    private static final float INV_SQRT2 = 0.70710678118654752f, INV_SQRT_2PI = 0.39894228040143268f;

    /** Φ(x) = ½(1 + erf(x/√2)), the normal distribution function. */
    static FloatVector normalCdf(FloatVector x) {
        return HALF.mul(ONE.add(erf(x.mul(INV_SQRT2))));
    }

    static FloatVector gelu(FloatVector x) {
        return x.mul(normalCdf(x));
    }

    /**
     * {@code GELU'(x) = Φ(x) + x·φ(x)}, both from one {@code e^{−x²/2}}: Φ through erf by Abramowitz
     * and Stegun 7.1.26, {@code erfc(z) = t·(a1 + a2·t + … + a5·t⁴)·e^{−z²}} with {@code t = 1/(1 + p·z)}
     * (absolute error ≤ 1.5e-7), whose exponential is φ's. One exponential and one division, where
     * Φ by {@link #erf} and φ by its own exponential took twice as long.
     */
    static FloatVector geluGrad(FloatVector x) {
        FloatVector e = exp(x.mul(x).mul(-0.5f));
        FloatVector t = ONE.div(x.abs().fma(ERFC_P, ONE));
        FloatVector p = ERFC_A5.fma(t, ERFC_A4).fma(t, ERFC_A3).fma(t, ERFC_A2).fma(t, ERFC_A1);
        FloatVector tail = p.mul(t).mul(e).mul(HALF); // Φ(−|x|)
        FloatVector cdf = ONE.sub(tail).blend(tail, x.lt(0f));
        return x.mul(e).fma(INV_SQRT_2PI_V, cdf);
    }

    // Held as vectors, not splat at each use: with a broadcast per use beside exp's, GELU's gradient over
    // 2080 × 768 elements ran at 1.0-1.4 ns an element against 0.6-0.85 (AMD EPYC, 2 threads, alternating).
    private static final FloatVector ERFC_P = splat(0.3275911f * INV_SQRT2), INV_SQRT_2PI_V = splat(INV_SQRT_2PI),
            ERFC_A1 = splat(0.254829592f), ERFC_A2 = splat(-0.284496736f), ERFC_A3 = splat(1.421413741f),
            ERFC_A4 = splat(-1.453152027f), ERFC_A5 = splat(1.061405429f);

    /** Longs of the same width as {@link #S}: a float vector's lanes take two of them. */
    private static final VectorSpecies<Long> LONGS = VectorSpecies.of(long.class, S.vectorShape());

    /** {@link dev.vitcap.kernel.DropoutHash#uniform} of indices {@code from, from + 1, …} in one half of a float vector ({@code part} 0 or −1), zeros in the other. */
    static FloatVector uniform(long seed, int from, int part) {
        LongVector z = LongVector.zero(LONGS).addIndex(1).add(from + 1L).mul(0x9E3779B97F4A7C15L).add(seed);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xBF58476D1CE4E5B9L);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94D049BB133111EBL);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
        return ((FloatVector) z.lanewise(VectorOperators.LSHR, 40).convertShape(VectorOperators.L2F, S, part)).mul(0x1.0p-24f);
    }

    // Scalar versions for loop tails: plain Math, accurate to float rounding like the vector forms.

    static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    static float tanh(float x) {
        return (float) Math.tanh(x);
    }

    static float gelu(float x) {
        return (float) (x * 0.5 * (1 + dev.vitcap.kernel.Erf.erf(x * INV_SQRT2)));
    }

    static float geluGrad(float x) {
        double cdf = 0.5 * (1 + dev.vitcap.kernel.Erf.erf(x * INV_SQRT2));
        return (float) (cdf + x * Math.exp(-0.5 * x * x) * INV_SQRT_2PI);
    }

    static float exp(float x) {
        return (float) Math.exp(x);
    }
}
