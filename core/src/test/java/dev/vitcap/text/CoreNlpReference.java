package dev.vitcap.text;

import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.process.CoreLabelTokenFactory;
import edu.stanford.nlp.process.PTBTokenizer;
import java.io.StringReader;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * CoreNLP 3.4.1's {@code PTBTokenizer}, run in-process the way its command line runs with
 * {@code -preserveLines -lowerCase}: lexer options {@code ",tokenizeNLs"}, tokens lower-cased in the
 * English locale, separated by single spaces, a line feed for each line-break token.
 */
final class CoreNlpReference {
    /** Held so that the level set on it stays: it reports each text's first untokenizable character. */
    private static final Logger LEXER_LOG = Logger.getLogger("edu.stanford.nlp.process.PTBLexer");

    static {
        LEXER_LOG.setLevel(Level.OFF);
    }

    private CoreNlpReference() {}

    static String ptbText(String text) {
        StringBuilder out = new StringBuilder();
        boolean lineStart = true;
        PTBTokenizer<CoreLabel> tokenizer =
                new PTBTokenizer<>(new StringReader(text), new CoreLabelTokenFactory(), ",tokenizeNLs");
        while (tokenizer.hasNext()) {
            String token = tokenizer.next().word();
            if (PTBTokenizer.getNewlineToken().equals(token)) {
                out.append('\n');
                lineStart = true;
            } else {
                if (!lineStart) {
                    out.append(' ');
                }
                lineStart = false;
                out.append(token.toLowerCase(Locale.ENGLISH));
            }
        }
        return out.toString();
    }
}
