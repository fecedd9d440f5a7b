package dev.vitcap.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Runs every kernel of a backend beside {@link ReferenceKernels} on the same random inputs, with
 * random shapes (odd sizes, strided views, in-place use), and compares every output. Used by
 * {@code vitcap doctor} and by each backend's tests.
 */
public final class SelfTest {
    private final Kernels k;
    private final Kernels ref = new ReferenceKernels();
    private final Random rng;
    private final List<Check> checks = new ArrayList<>();
    private final List<Tensor> owned = new ArrayList<>();
    private int trial;

    private SelfTest(Kernels k, long seed) {
        this.k = k;
        this.rng = new Random(seed);
    }

    /** Every kernel, {@code trials} times with fresh random shapes; one {@link Check} per output compared. */
    public static List<Check> run(Kernels k, long seed, int trials) {
        SelfTest t = new SelfTest(k, seed);
        try {
            for (t.trial = 0; t.trial < trials; t.trial++) t.all();
        } finally {
            t.owned.forEach(Tensor::close);
        }
        return t.checks;
    }

    /** A tensor on both backends, with its host contents. */
    private final class Both {
        final Tensor mine, theirs;

        Both(Tensor mine, Tensor theirs) {
            this.mine = mine;
            this.theirs = theirs;
            owned.add(mine);
        }
    }

    private interface Op {
        void apply(Kernels kernels, Function<Both, Tensor> side);
    }

    private void run(Op op) {
        op.apply(k, b -> b.mine);
        op.apply(ref, b -> b.theirs);
    }

    private Both floats(float[] host, int... shape) {
        return new Both(k.upload(host, shape), ref.upload(host, shape));
    }

    private Both rand(double scale, int... shape) {
        long n = 1;
        for (int d : shape) n *= d;
        float[] host = new float[Math.toIntExact(n)];
        for (int i = 0; i < host.length; i++) host[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        return floats(host, shape);
    }

    private Both rand(int... shape) {
        return rand(1.0, shape);
    }

    private Both ints(int bound, int n) {
        int[] host = new int[n];
        for (int i = 0; i < n; i++) host[i] = rng.nextInt(bound);
        return new Both(k.uploadInts(host, n), ref.uploadInts(host, n));
    }

    /** A tensor both sides start with the same (random) contents in, so that accumulation is checked too. */
    private Both out(int... shape) {
        return rand(shape);
    }

    private void output(String what, Both b) {
        checks.add(Check.output(label(what), k.download(b.mine), ref.download(b.theirs)));
    }

    private void gradient(String what, Both b) {
        checks.add(Check.gradient(label(what), k.download(b.mine), ref.download(b.theirs)));
    }

    private void exact(String what, Both b) {
        checks.add(Check.exact(label(what), k.downloadInts(b.mine), ref.downloadInts(b.theirs)));
    }

    private void scalar(String what, double mine, double theirs) {
        checks.add(Check.output(label(what), new float[]{(float) theirs}, new float[]{(float) mine}));
    }

    private String label(String what) {
        return trial == 0 ? what : what + " #" + (trial + 1);
    }

    /** A size in [1, max], odd more often than not. */
    private int size(int max) {
        return 1 + rng.nextInt(max);
    }

    private void all() {
        memory();
        products();
        reductions();
        elementwise();
        normalisation();
        loss();
        lookups();
        recurrent();
        attention();
        optimiser();
    }

    private void memory() {
        int rows = size(9), cols = size(13), ld = cols + rng.nextInt(4);
        Both src = rand(rows, ld), dst = out(rows, ld + 2);
        run((q, s) -> q.copy2d(rows, cols, s.apply(src), ld, s.apply(dst).from(1), ld + 2));
        output("copy2d", dst);
        Both row = rand(cols), wide = out(rows, cols);
        run((q, s) -> q.copy2d(rows, cols, s.apply(row), 0, s.apply(wide), cols));
        output("copy2d broadcast", wide);
        Both idx = ints(rows, rows + 3), gathered = out(rows + 3, ld);
        run((q, s) -> q.gatherRows(rows + 3, ld, s.apply(src), s.apply(idx), s.apply(gathered)));
        output("gatherRows", gathered);
        Both filled = out(rows, cols);
        run((q, s) -> q.fill(s.apply(filled), 0.25f));
        output("fill", filled);
    }

    private void products() {
        for (boolean ta : new boolean[]{false, true}) {
            for (boolean tb : new boolean[]{false, true}) for (boolean oneRow : new boolean[]{false, true}) {
                // Small products, and large ones that a backend may split across threads (tall or wide); and
                // single rows (one image's decoding step), which a backend may run as matrix-vector products.
                boolean large = rng.nextBoolean();
                int m = oneRow ? 1 : large ? (rng.nextBoolean() ? 150 + size(60) : size(20)) : size(37);
                int n = large ? (m > 100 ? size(90) : 500 + size(90)) : size(41);
                int kk = large ? 100 + size(60) : size(53), pad = rng.nextInt(3);
                int lda = (ta ? m : kk) + pad, ldb = (tb ? kk : n) + pad, ldc = n + pad;
                Both a = rand(1 / Math.sqrt(kk), (ta ? kk : m), lda), b = rand((tb ? n : kk), ldb), c = out(m, ldc);
                float alpha = 0.5f + rng.nextFloat(), beta = rng.nextBoolean() ? 0f : 0.75f;
                run((q, s) -> q.gemm(ta, tb, m, n, kk, alpha, s.apply(a), lda, s.apply(b), ldb, beta, s.apply(c), ldc));
                output("gemm " + (ta ? "T" : "N") + (tb ? "T" : "N"), c);
            }
        }
        preparedProducts();
        int m = size(17), n = size(19), kk = size(23), batch = size(5);
        boolean ta = rng.nextBoolean(), tb = rng.nextBoolean();
        int lda = ta ? m : kk, ldb = tb ? kk : n;
        long sa = (long) kk * m + 3, sb = (long) kk * n + 5, sc = (long) m * n + 1;
        Both a = rand(0.3, batch, (int) sa), b = rand(batch, (int) sb), c = out(batch, (int) sc);
        run((q, s) -> q.gemmBatched(ta, tb, m, n, kk, 1f, s.apply(a), lda, sa, s.apply(b), ldb, sb, 0.5f, s.apply(c), n, sc, batch));
        output("gemmBatched", c);
    }

    /**
     * A prepared weight read by products of one row, many rows, a few, many again and one again,
     * prepared for a small batch and for a large one, as it lies and transposed: a backend may pack
     * the weight on its first use and must give the same products before and after.
     */
    private void preparedProducts() {
        int n = rng.nextBoolean() ? size(70) : 60 + size(140), kk = size(80);
        int[] rows = {1, 65 + size(30), 1 + size(40), 65 + size(30), 1};
        String[] names = {"one row", "many rows", "a few rows", "many rows again", "one row again"};
        for (boolean transposed : new boolean[]{false, true}) {
            int ld = (transposed ? n : kk) + rng.nextInt(3);
            Both w = rand(transposed ? kk : n, ld);
            for (int batch : new int[]{1, 32}) {
                Tensor mine = k.prepareWeight(w.mine, n, kk, ld, transposed, batch);
                Tensor theirs = ref.prepareWeight(w.theirs, n, kk, ld, transposed, batch);
                owned.add(mine);
                for (int i = 0; i < rows.length; i++) {
                    int m = rows[i], lda = kk + rng.nextInt(3), ldc = n + rng.nextInt(3);
                    float beta = rng.nextBoolean() ? 0f : 0.75f;
                    Both a = rand(1 / Math.sqrt(kk), m, lda), c = out(m, ldc);
                    run((q, s) -> q.gemmPrepared(m, s.apply(a), lda, q == k ? mine : theirs, beta, s.apply(c), ldc));
                    output("gemmPrepared" + (transposed ? " transposed" : "") + " for a batch of " + batch + ", " + names[i], c);
                }
            }
        }
    }

    private void reductions() {
        int rows = size(33), cols = size(29);
        Both y = rand(rows, cols), bias = rand(cols);
        run((q, s) -> q.addBias(s.apply(y), rows, cols, s.apply(bias)));
        output("addBias", y);
        Both x0 = rand(rows, cols), y0 = out(rows, cols);
        run((q, s) -> q.addBias(s.apply(x0), s.apply(y0), rows, cols, s.apply(bias)));
        output("addBias to a copy", y0);
        Both acc = out(cols);
        run((q, s) -> q.sumRows(s.apply(y), rows, cols, s.apply(acc)));
        gradient("sumRows", acc);
        int batch = size(5), tokens = size(9), dim = size(17);
        Both x = rand(batch, tokens, dim), mean = out(batch, dim), dx = out(batch, tokens, dim);
        run((q, s) -> q.meanTokens(s.apply(x), batch, tokens, dim, s.apply(mean)));
        output("meanTokens", mean);
        run((q, s) -> q.meanTokensBackward(s.apply(mean), batch, tokens, dim, s.apply(dx)));
        gradient("meanTokensBackward", dx);
        scalar("sum", k.sum(x.mine), ref.sum(x.theirs));
        scalar("sumOfSquares", k.sumOfSquares(List.of(x.mine, y.mine)), ref.sumOfSquares(List.of(x.theirs, y.theirs)));
    }

    private void elementwise() {
        int n = size(300);
        Both a = rand(3.0, n), b = rand(3.0, n), o = out(n);
        run((q, s) -> q.add(s.apply(a), s.apply(b), s.apply(o)));
        output("add", o);
        run((q, s) -> q.mul(s.apply(a), s.apply(b), s.apply(o)));
        output("mul", o);
        run((q, s) -> q.axpby(0.5f, s.apply(a), -2f, s.apply(o)));
        output("axpby", o);
        run((q, s) -> q.axpby(1.5f, s.apply(a), 0f, s.apply(o)));
        output("axpby beta=0", o);
        int rows = size(9), cols = size(31);
        Both m = rand(rows, cols), sc = rand(rows);
        run((q, s) -> q.scaleRows(s.apply(m), rows, cols, s.apply(sc)));
        output("scaleRows", m);
        unary("tanh", Kernels::tanh, Kernels::tanhBackward, n, true);
        unary("sigmoid", Kernels::sigmoid, Kernels::sigmoidBackward, n, true);
        unary("relu", Kernels::relu, Kernels::reluBackward, n, true);
        unary("gelu", Kernels::gelu, Kernels::geluBackward, n, false);
        dropout(n);
        // Long enough for a backend to split the work and to work through it in blocks.
        int longRun = 5000 + size(5000);
        unary("gelu (a long run)", Kernels::gelu, Kernels::geluBackward, longRun, false);
        dropout(longRun);
    }

    private void dropout(int n) {
        Both x = rand(n), y = out(n), mask = out(n);
        float p = 0.1f + 0.5f * rng.nextFloat();
        long seed = rng.nextLong();
        run((q, s) -> q.dropout(s.apply(x), s.apply(y), s.apply(mask), p, seed));
        output("dropout of " + n, y);
        output("dropout mask of " + n, mask);
    }

    private interface Unary {
        void apply(Kernels k, Tensor x, Tensor y);
    }

    private interface UnaryBackward {
        void apply(Kernels k, Tensor saved, Tensor dy, Tensor dx);
    }

    /** A forward (also in place) and its backward, which reads the output or the input as the contract says. */
    private void unary(String name, Unary f, UnaryBackward df, int n, boolean backwardReadsOutput) {
        Both x = rand(6.0, n), y = out(n), dy = rand(n), dx = out(n), inPlace = floats(k.download(x.mine), n);
        run((q, s) -> f.apply(q, s.apply(x), s.apply(y)));
        output(name, y);
        run((q, s) -> f.apply(q, s.apply(inPlace), s.apply(inPlace)));
        output(name + " in place", inPlace);
        Both saved = backwardReadsOutput ? y : x;
        run((q, s) -> df.apply(q, s.apply(saved), s.apply(dy), s.apply(dx)));
        gradient(name + "Backward", dx);
    }

    private void normalisation() {
        int rows = size(13), cols = 2 + size(70);
        Both x = rand(2.0, rows, cols), g = rand(cols), b = rand(cols), y = out(rows, cols), mean = out(rows), rstd = out(rows);
        run((q, s) -> q.layerNorm(s.apply(x), s.apply(g), s.apply(b), s.apply(y), s.apply(mean), s.apply(rstd), rows, cols, 1e-6f));
        output("layerNorm", y);
        output("layerNorm mean", mean);
        output("layerNorm rstd", rstd);
        Both dy = rand(rows, cols), dx = out(rows, cols), dg = out(cols), db = out(cols);
        run((q, s) -> q.layerNormBackward(s.apply(dy), s.apply(x), s.apply(g), s.apply(mean), s.apply(rstd),
                s.apply(dx), s.apply(dg), s.apply(db), rows, cols));
        gradient("layerNormBackward dx", dx);
        gradient("layerNormBackward dGamma", dg);
        gradient("layerNormBackward dBeta", db);
        float scale = 0.2f + rng.nextFloat();
        Both sm = out(rows, cols);
        run((q, s) -> q.softmax(s.apply(x), s.apply(sm), rows, cols, scale));
        output("softmax", sm);
        Both dsm = out(rows, cols);
        run((q, s) -> q.softmaxBackward(s.apply(sm), s.apply(dy), s.apply(dsm), rows, cols, scale));
        gradient("softmaxBackward", dsm);
        Both inPlace = floats(k.download(x.mine), rows, cols);
        run((q, s) -> q.softmax(s.apply(inPlace), s.apply(inPlace), rows, cols, scale));
        output("softmax in place", inPlace);
        Both ls = out(rows, cols);
        run((q, s) -> q.logSoftmax(s.apply(x), s.apply(ls), rows, cols));
        output("logSoftmax", ls);
        Both idx = ints(1, rows);
        run((q, s) -> q.argmaxRows(s.apply(x), rows, cols, s.apply(idx)));
        exact("argmaxRows", idx);
        int kk = 1 + rng.nextInt(Math.min(cols, 12));
        Both top = out(rows, kk), topIdx = ints(1, rows * kk);
        run((q, s) -> q.topK(s.apply(x), rows, cols, kk, s.apply(top), s.apply(topIdx)));
        output("topK values", top);
        exact("topK indices", topIdx);
        Both top1 = out(rows, 1), top1Idx = ints(1, rows);
        run((q, s) -> q.topK(s.apply(x), rows, cols, 1, s.apply(top1), s.apply(top1Idx)));
        output("topK of one, values", top1);
        exact("topK of one, indices", top1Idx);
        int wide = 1000 + size(4000), wk = 1 + rng.nextInt(20);
        Both w = rand(8.0, 3, wide), wTop = out(3, wk), wIdx = ints(1, 3 * wk);
        run((q, s) -> q.topK(s.apply(w), 3, wide, wk, s.apply(wTop), s.apply(wIdx)));
        output("topK wide values", wTop);
        exact("topK wide indices", wIdx);
    }

    private void loss() {
        int rows = size(17), cols = 2 + size(60);
        Both logits = rand(4.0, rows, cols), targets = ints(cols, rows), losses = out(rows), d = out(rows, cols);
        int ignore = rng.nextBoolean() ? -1 : rng.nextInt(cols);
        float eps = rng.nextBoolean() ? 0f : 0.1f;
        run((q, s) -> q.crossEntropy(s.apply(logits), s.apply(targets), rows, cols, ignore, eps, s.apply(losses), s.apply(d), 1f / rows));
        output("crossEntropy", losses);
        gradient("crossEntropy dLogits", d);
    }

    private void lookups() {
        int vocab = size(20), dim = size(33), n = size(40), ld = dim + rng.nextInt(5);
        Both table = rand(vocab, dim), ids = ints(vocab, n), o = out(n, ld);
        run((q, s) -> q.embedding(s.apply(table), s.apply(ids), n, dim, s.apply(o), ld));
        output("embedding", o);
        Both dTable = out(vocab, dim);
        run((q, s) -> q.embeddingBackward(s.apply(o), ld, s.apply(ids), n, dim, s.apply(dTable)));
        gradient("embeddingBackward", dTable);
        int batch = size(3), ch = size(3), p = size(5), h = p * size(4), w = p * size(4);
        Both img = rand(batch, ch, h, w), patches = out(batch * (h / p) * (w / p), ch * p * p);
        run((q, s) -> q.patchify(s.apply(img), batch, ch, h, w, p, s.apply(patches)));
        output("patchify", patches);
    }

    private void recurrent() {
        int batch = size(7), hid = size(24);
        Both gates = rand(2.0, batch, 4 * hid), bi = rand(4 * hid), bh = rand(4 * hid), cPrev = rand(batch, hid);
        Both h = out(batch, hid), c = out(batch, hid), acts = out(batch, 4 * hid);
        run((q, s) -> q.lstmCell(s.apply(gates), s.apply(bi), s.apply(bh), s.apply(cPrev), s.apply(h), s.apply(c), s.apply(acts), batch, hid));
        output("lstmCell h", h);
        output("lstmCell c", c);
        output("lstmCell gates", acts);
        Both dh = rand(batch, hid), dc = rand(batch, hid), dg = out(batch, 4 * hid);
        run((q, s) -> q.lstmCellBackward(s.apply(acts), s.apply(cPrev), s.apply(c), s.apply(dh), s.apply(dc), s.apply(dg), batch, hid));
        gradient("lstmCellBackward dGates", dg);
        gradient("lstmCellBackward dc", dc);
        sequence();
    }

    private void sequence() {
        int layers = 1 + rng.nextInt(2), steps = size(5), batch = size(4), in = size(11), hid = size(9);
        List<Both[]> weights = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            int input = l == 0 ? in : hid;
            double bound = 1 / Math.sqrt(hid);
            weights.add(new Both[]{rand(bound, 4 * hid, input), rand(bound, 4 * hid, hid), rand(bound, 4 * hid), rand(bound, 4 * hid),
                    out(4 * hid, input), out(4 * hid, hid), out(4 * hid), out(4 * hid)});
        }
        Both x = rand(steps * batch, in), h0 = rand(layers, batch, hid), c0 = rand(layers, batch, hid);
        Both y = out(steps * batch, hid), hN = out(layers, batch, hid), cN = out(layers, batch, hid);
        Both dy = rand(steps * batch, hid), dhN = rand(layers, batch, hid), dcN = rand(layers, batch, hid);
        Both dx = out(steps * batch, in), dh0 = out(layers, batch, hid), dc0 = out(layers, batch, hid);
        run((q, s) -> {
            List<LstmSequence.Layer> ls = new ArrayList<>();
            for (int l = 0; l < layers; l++) {
                Both[] w = weights.get(l);
                ls.add(new LstmSequence.Layer(l == 0 ? in : hid, hid, s.apply(w[0]), s.apply(w[1]), s.apply(w[2]), s.apply(w[3]),
                        s.apply(w[4]), s.apply(w[5]), s.apply(w[6]), s.apply(w[7])));
            }
            try (LstmSequence.Saved saved = q.lstmForward(ls, steps, batch, s.apply(x), s.apply(h0), s.apply(c0), s.apply(y), s.apply(hN), s.apply(cN))) {
                q.lstmBackward(saved, s.apply(dy), s.apply(dhN), s.apply(dcN), s.apply(dx), s.apply(dh0), s.apply(dc0));
            }
        });
        output("lstmForward y", y);
        output("lstmForward hN", hN);
        output("lstmForward cN", cN);
        gradient("lstmBackward dx", dx);
        gradient("lstmBackward dh0", dh0);
        gradient("lstmBackward dc0", dc0);
        for (int l = 0; l < layers; l++) {
            Both[] w = weights.get(l);
            gradient("lstmBackward dW_ih l" + l, w[4]);
            gradient("lstmBackward dW_hh l" + l, w[5]);
            gradient("lstmBackward db l" + l, w[6]);
        }
    }

    private void attention() {
        int batch = size(5), tokens = size(17), att = size(20), dim = size(25);
        Both p = rand(batch, tokens, att), dq = rand(batch, att), w = rand(att), b = rand(1), enc = rand(batch, tokens, dim);
        Both u = out(batch, tokens, att), alpha = out(batch, tokens), ctx = out(batch, dim);
        run((q, s) -> q.attention(s.apply(p), s.apply(dq), s.apply(w), s.apply(b), s.apply(enc), s.apply(u), s.apply(alpha), s.apply(ctx),
                batch, tokens, att, dim));
        output("attention u", u);
        output("attention alpha", alpha);
        output("attention ctx", ctx);
        // A decoding step: three rows per image read the same tokens.
        int share = 3, rows = batch * share;
        Both rq = rand(rows, att), stepAlpha = out(rows, tokens), stepCtx = out(rows, dim);
        run((q, s) -> q.attentionStep(s.apply(p), s.apply(rq), s.apply(w), s.apply(b), s.apply(enc), s.apply(stepAlpha), s.apply(stepCtx),
                rows, share, tokens, att, dim));
        output("attentionStep alpha", stepAlpha);
        output("attentionStep ctx", stepCtx);
        Both dCtx = rand(batch, dim), dAlpha = rng.nextBoolean() ? rand(batch, tokens) : null;
        Both dP = out(batch, tokens, att), dQ = out(batch, att), dW = out(att), dB = out(1), dEnc = out(batch, tokens, dim);
        run((q, s) -> q.attentionBackward(s.apply(u), s.apply(alpha), s.apply(enc), s.apply(w), s.apply(dCtx),
                dAlpha == null ? null : s.apply(dAlpha), s.apply(dP), s.apply(dQ), s.apply(dW), s.apply(dB), s.apply(dEnc),
                batch, tokens, att, dim));
        gradient("attentionBackward dEncProj", dP);
        gradient("attentionBackward dDecProj", dQ);
        gradient("attentionBackward dW", dW);
        gradient("attentionBackward dB", dB);
        gradient("attentionBackward dEnc", dEnc);
    }

    private void optimiser() {
        int n = size(200);
        Both p = rand(n), g = rand(n), m = rand(0.1, n), v = floats(nonNegative(n), n);
        int step = 1 + rng.nextInt(20);
        run((q, s) -> q.adamw(s.apply(p), s.apply(g), s.apply(m), s.apply(v), 3e-4f, 0.9f, 0.999f, 1e-8f, 0.01f, step, 0.7f));
        output("adamw param", p);
        output("adamw m", m);
        output("adamw v", v);
    }

    private float[] nonNegative(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = rng.nextFloat() * 0.01f;
        return a;
    }
}
