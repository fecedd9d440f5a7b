package dev.vitcap.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The caption tokeniser of the COCO caption evaluation code: Stanford CoreNLP 3.4.1's
 * {@code PTBTokenizer -preserveLines -lowerCase}, then removal of punctuation tokens, with the same
 * output to the character. Thread-safe.
 *
 * <p>The reference tokenises a whole caption set at once: it makes each caption one line (line feeds
 * become spaces), joins them with line feeds, tokenises that text and reads caption {@code i}'s tokens
 * from output line {@code i}. {@link #tokenizeCaptions} does the same, so that the rare cross-line
 * effects (a trailing context looks past the line end) are reproduced too. Note two quirks kept on
 * purpose: the punctuation list names {@code -LRB-} and {@code -RRB-} in upper case but the tokens were
 * lower-cased first, so {@code -lrb-} and {@code -rrb-} stay; and a caption holding another line
 * break character (carriage return, U+2028 ...) yields several lines, which shifts every later caption
 * onto the wrong line in the reference ({@link Captions#lineCount()} tells).
 */
public final class PtbTokenizer {
    /** The tokens the reference drops after tokenising. */
    public static final Set<String> PUNCTUATION = Set.of(
            "''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-", "-RCB-", ".", "?", "!", ",", ":", "-", "--", "...", ";");

    /**
     * Tokenised captions.
     *
     * @param captions caption {@code i}'s tokens joined by single spaces: output line {@code i}, as the
     *     reference gives it
     * @param lineCount lines of tokeniser output: never fewer than the captions (every line feed comes
     *     out as one), more when a caption held another line break
     */
    public record Captions(List<String> captions, int lineCount) {
        public boolean aligned() {
            return lineCount == captions.size();
        }
    }

    private static final PtbTokenizer INSTANCE = new PtbTokenizer();
    /** Texts this long are lexed in parallel parts. */
    private static final int PARALLEL_MIN_CHARS = 1 << 16;

    private final PtbLexer lexer = PtbLexer.instance();

    private PtbTokenizer() {}

    public static PtbTokenizer instance() {
        return INSTANCE;
    }

    /** The words of one caption as the metrics count them: lower-cased, punctuation removed. */
    public List<String> tokenize(String caption) {
        String line = tokenizeCaptions(List.of(caption)).captions().get(0);
        return PythonText.split(line);
    }

    /** Tokenises a caption set as one text, the way the reference does. */
    public Captions tokenizeCaptions(List<String> captions) {
        StringBuilder document = new StringBuilder();
        for (int i = 0; i < captions.size(); i++) {
            if (i > 0) {
                document.append('\n');
            }
            document.append(captions.get(i).replace('\n', ' '));
        }
        String output = ptbText(document.toString());
        List<String> lines = new ArrayList<>(captions.size());
        int start = 0;
        int lineCount = 0;
        while (true) {
            int end = output.indexOf('\n', start);
            String line = output.substring(start, end < 0 ? output.length() : end);
            if (lines.size() < captions.size()) {
                lines.add(withoutPunctuation(line));
            }
            lineCount++;
            if (end < 0) {
                break;
            }
            start = end + 1;
        }
        if (lines.size() < captions.size()) {
            throw new IllegalStateException("tokenizer output has fewer lines than captions");
        }
        return new Captions(Collections.unmodifiableList(lines), lineCount);
    }

    /**
     * What {@code PTBTokenizer -preserveLines -lowerCase} prints for {@code text}: the lower-cased
     * tokens of each input line separated by single spaces, lines separated by line feeds.
     */
    public String ptbText(String text) {
        char[] chars = text.toCharArray();
        int parts = text.length() < PARALLEL_MIN_CHARS ? 1 : Runtime.getRuntime().availableProcessors();
        if (parts <= 1) {
            StringBuilder out = new StringBuilder(text.length() + 16);
            lexer.lex(chars, 0, chars.length, new OutputSink(out));
            return out.toString();
        }
        // Lex parts from line starts in parallel. A part is right when the one before it ended exactly
        // at its start (only a markup token with a quoted line feed spans lines); else redo from there.
        int[] starts = new int[parts + 1];
        for (int p = 1; p < parts; p++) {
            int newline = text.indexOf('\n', (int) ((long) chars.length * p / parts));
            starts[p] = newline < 0 ? chars.length : Math.max(starts[p - 1], newline + 1);
        }
        starts[parts] = chars.length;
        StringBuilder[] outs = new StringBuilder[parts];
        int[] ends = new int[parts];
        IntStream.range(0, parts).parallel().forEach(p -> {
            outs[p] = new StringBuilder(starts[p + 1] - starts[p] + 16);
            ends[p] = lexer.lex(chars, starts[p], starts[p + 1], new OutputSink(outs[p]));
        });
        StringBuilder out = outs[0];
        for (int p = 1; p < parts; p++) {
            if (ends[p - 1] != starts[p]) {
                lexer.lex(chars, ends[p - 1], chars.length, new OutputSink(out, false));
                return out.toString();
            }
            out.append(outs[p]);
        }
        return out.toString();
    }

    /** Prints tokens as the reference's command line does: space-separated, a line feed per line break. */
    private static final class OutputSink implements PtbLexer.TokenSink {
        private final StringBuilder out;
        private boolean lineStart;

        OutputSink(StringBuilder out) {
            this(out, true);
        }

        OutputSink(StringBuilder out, boolean lineStart) {
            this.out = out;
            this.lineStart = lineStart;
        }

        @Override
        public void token(String token) {
            if (!lineStart) {
                out.append(' ');
            }
            lineStart = false;
            out.append(token.toLowerCase(Locale.ENGLISH));
        }

        @Override
        public void lineBreak() {
            out.append('\n');
            lineStart = true;
        }
    }

    private static boolean isPunctuation(String piece) {
        // Every punctuation token starts with one of these; most words are then ruled out at once.
        return !piece.isEmpty() && "'`-.?!,:;".indexOf(piece.charAt(0)) >= 0 && PUNCTUATION.contains(piece);
    }

    /** The reference's {@code ' '.join(w for w in line.rstrip().split(' ') if w not in PUNCTUATIONS)}. */
    private static String withoutPunctuation(String line) {
        StringBuilder kept = new StringBuilder(line.length());
        int count = 0;
        for (String piece : PythonText.splitOnSpace(PythonText.rstrip(line))) {
            if (!isPunctuation(piece)) {
                if (count++ > 0) {
                    kept.append(' ');
                }
                kept.append(piece);
            }
        }
        return kept.toString();
    }
}
