package dev.vitcap.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Penn Treebank lexer of Stanford CoreNLP 3.4.1 ({@code PTBLexer}, as its command line runs it with
 * {@code -preserveLines}: default normalisations, line breaks as tokens), reimplemented here because
 * CoreNLP is GPL-licensed and the COCO metrics need its exact tokens.
 *
 * <p>The reference is a JFlex scanner: at each position the longest match over all rules wins, the
 * earlier rule on a tie; a rule with trailing context {@code body/trailing} competes with the length
 * of both and then consumes the longest body that leaves a valid trailing context. Patterns here are
 * written in JFlex's own syntax (see {@link Regex}) and the whole specification is caseless except
 * inside character classes, as the reference's is. Its tests compare this lexer with CoreNLP's
 * token for token.
 */
final class PtbLexer {
    /** Receives the tokens of a text in order. */
    interface TokenSink {
        void token(String text);

        void lineBreak();
    }

    /** What a rule does with its match {@code text[start, end)}; returns where the next match starts. */
    @FunctionalInterface
    private interface Action {
        int apply(char[] text, int start, int end, TokenSink sink);
    }

    private record Rule(Regex body, Regex trailing, Action action) {}

    /** A rule with trailing context, with the automata that find where its body ends. */
    private record Split(Dfa body, Dfa trailingReversed) {}

    private static final Pattern AMP_ENTITY = Pattern.compile("&amp;", Pattern.CASE_INSENSITIVE);

    private final Rule[] rules;
    private final Split[] splits;
    private final Dfa dfa;

    private static final class Holder {
        static final PtbLexer INSTANCE = new PtbLexer();
    }

    static PtbLexer instance() {
        return Holder.INSTANCE;
    }

    private PtbLexer() {
        UnicodeClasses unicode = UnicodeClasses.load();
        Map<String, Regex> macros = new HashMap<>();
        for (String[] macro : macros()) {
            macros.put(macro[0], Regex.parse(macro[1], macros, unicode));
        }
        List<Rule> ruleList = rules(macros, unicode);
        rules = ruleList.toArray(new Rule[0]);
        Nfa.SetTable table = new Nfa.SetTable();
        List<Regex> wholes = new ArrayList<>();
        Nfa[][] splitNfas = new Nfa[rules.length][];
        for (int i = 0; i < rules.length; i++) {
            Rule rule = rules[i];
            if (rule.trailing() == null) {
                wholes.add(rule.body());
            } else {
                wholes.add(new Regex.Concat(List.of(rule.body(), rule.trailing())));
                splitNfas[i] = new Nfa[] {
                    new Nfa(table, List.of(rule.body())),
                    new Nfa(table, List.of(Regex.reversed(rule.trailing())))
                };
            }
        }
        Nfa nfa = new Nfa(table, wholes);
        CharClassMap classes = new CharClassMap(table.sets());
        dfa = new Dfa(nfa, classes);
        splits = new Split[rules.length];
        for (int i = 0; i < rules.length; i++) {
            if (splitNfas[i] != null) {
                splits[i] = new Split(new Dfa(splitNfas[i][0], classes), new Dfa(splitNfas[i][1], classes));
            }
        }
    }

    /**
     * Tokenises {@code text} from {@code from} until a token ends at or after {@code to}; trailing
     * contexts may look up to the end of {@code text}. Returns where the last token ended.
     */
    int lex(char[] text, int from, int to, TokenSink sink) {
        int pos = from;
        while (pos < to) {
            Dfa.State state = dfa.start;
            int matchEnd = -1;
            int rule = -1;
            for (int p = pos; p < text.length; ) {
                state = dfa.step(state, text[p++]);
                if (state == dfa.dead) {
                    break;
                }
                if (state.accept >= 0) {
                    matchEnd = p;
                    rule = state.accept;
                }
            }
            // Some rule matches every character ('.' and the line breaks), so rule >= 0 here.
            int end = splits[rule] == null ? matchEnd : bodyEnd(splits[rule], text, pos, matchEnd);
            pos = rules[rule].action().apply(text, pos, end, sink);
        }
        return pos;
    }

    /** The end of the longest body in {@code text[start, end)} whose remainder is a trailing context. */
    private static int bodyEnd(Split split, char[] text, int start, int end) {
        boolean[] bodyEndsAt = new boolean[end - start + 1];
        Dfa.State state = split.body().start;
        bodyEndsAt[0] = state.accept >= 0;
        for (int p = start; p < end && state != split.body().dead; p++) {
            state = split.body().step(state, text[p]);
            bodyEndsAt[p + 1 - start] = state.accept >= 0;
        }
        Dfa.State back = split.trailingReversed().start;
        int q = end;
        while (!(bodyEndsAt[q - start] && back.accept >= 0)) {
            back = split.trailingReversed().step(back, text[--q]);
        }
        return q;
    }

    // ---- actions ----

    private static Action keep() {
        return (text, start, end, sink) -> {
            sink.token(new String(text, start, end - start));
            return end;
        };
    }

    private static Action skip() {
        return (text, start, end, sink) -> end;
    }

    private static Action replaceWith(String token) {
        return (text, start, end, sink) -> {
            sink.token(token);
            return end;
        };
    }

    private interface Normalizer {
        String apply(String matched);
    }

    private static Action normalized(Normalizer normalizer) {
        return (text, start, end, sink) -> {
            sink.token(normalizer.apply(new String(text, start, end - start)));
            return end;
        };
    }

    /** Emits all but the last {@code n} characters, which are lexed again. */
    private static Action giveBack(int n) {
        return (text, start, end, sink) -> {
            sink.token(new String(text, start, end - n - start));
            return end - n;
        };
    }

    /** Emits the abbreviation with its period and lexes the period again as the sentence's end. */
    private static Action periodTwice() {
        return (text, start, end, sink) -> {
            sink.token(new String(text, start, end - start));
            return end - 1;
        };
    }

    /** An acronym before a likely sentence start: a lone letter gives up its period, longer keep it too. */
    private static Action acronymAtSentenceEnd() {
        return (text, start, end, sink) -> {
            int length = end - start;
            sink.token(new String(text, start, length == 2 ? 1 : length));
            return end - 1;
        };
    }

    private static Action lineBreak() {
        return (text, start, end, sink) -> {
            sink.lineBreak();
            return end;
        };
    }

    private static String withoutSoftHyphens(String s) {
        if (s.indexOf('\u00AD') < 0) {
            return s;
        }
        String stripped = s.replace("\u00AD", "");
        return stripped.isEmpty() ? "-" : stripped;
    }

    private static String nonBreakingSpaces(String s) {
        return s.replace(' ', '\u00A0');
    }

    private static String ampersands(String s) {
        return AMP_ENTITY.matcher(s).replaceAll("&");
    }

    private static String parentheses(String s) {
        return s.replace("(", "-LRB-").replace(")", "-RRB-");
    }

    private static String fractions(String s) {
        return s.replace("\u00BC", "1/4").replace("\u00BD", "1/2").replace("\u00BE", "3/4")
                .replace("\u2153", "1/3").replace("\u2154", "2/3");
    }

    private static String currency(String s) {
        return s.replace("\u00A2", "cents").replace("\u00A3", "#")
                .replace('\u0080', '$').replace('\u00A4', '$').replace('\u20A0', '$').replace('\u20AC', '$');
    }

    /** LaTeX-style quotes: {@code `` ''} for double, {@code ` '} for single; ASCII ones by position. */
    private static String latexQuotes(String s, boolean opening) {
        String out = opening
                ? s.replace("&apos;", "`").replace("'", "`").replace("\"", "``").replace("&quot;", "``")
                : s.replace("&apos;", "'").replace("\"", "''").replace("&quot;", "''");
        StringBuilder b = new StringBuilder(out.length() + 2);
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            switch (c) {
                case '\u0091', '\u2018', '\u201B', '\u2039' -> b.append('`');
                case '\u0092', '\u2019', '\u203A' -> b.append('\'');
                case '\u0093', '\u201C', '\u00AB' -> b.append("``");
                case '\u0094', '\u201D', '\u00BB' -> b.append("''");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static Action quotes(boolean opening) {
        return normalized(s -> latexQuotes(s, opening));
    }

    private static Action dashes() {
        return (text, start, end, sink) -> {
            int length = end - start;
            sink.token(length == 3 || length == 4 ? "--" : new String(text, start, length));
            return end;
        };
    }

    // ---- the specification ----

    /** Named patterns, each defined before its first use. */
    private static String[][] macros() {
        String sgmlName = "[A-Za-z][A-Za-z0-9_:.\\-]*";
        String notSpaceOrBracket = " \\t\\n\\f\\r\"<>|(){}";
        return new String[][] {
            {"SGML", "<([!?][A-Za-z\\-][^>\\r\\n]*|" + sgmlName + "([ ]+" + sgmlName
                    + "([ ]*=[ ]*('[^']*'|\"[^\"]*\"))?)*[ ]*/?|/" + sgmlName + ")[ ]*>"},
            {"SPMDASH", "&(MD|mdash|ndash);|[\\u0096\\u0097\\u2013\\u2014\\u2015]"},
            {"SPAMP", "&amp;"},
            {"SPPUNC", "&(HT|TL|UR|LR|QC|QL|QR|odq|cdq|#[0-9]+);"},
            {"SPLET", "&[aeiouAEIOU](acute|grave|uml);"},
            {"SPACE", "[ \\t\\u00A0\\u2000-\\u200A\\u3000]"},
            {"SPACES", "{SPACE}+"},
            {"NEWLINE", "\\r|\\r?\\n|\\u2028|\\u2029|\\u000B|\\u000C|\\u0085"},
            {"SPACENL", "({SPACE}|{NEWLINE})"},
            {"SPACENLS", "{SPACENL}+"},
            {"SENTEND", "{SPACENL}({SPACENL}|[:uppercase:]|{SGML})"},
            {"DIGIT", "[:digit:]|[\\u07C0-\\u07C9]"},
            {"DATE", "{DIGIT}{1,2}[\\-/]{DIGIT}{1,2}[\\-/]{DIGIT}{2,4}"},
            {"NUM", "{DIGIT}+|{DIGIT}*([.:,\\u00AD\\u066B\\u066C]{DIGIT}+)+"},
            {"NUMBER", "[\\-+]?{NUM}"},
            {"SUBSUPNUM", "[\\u207A\\u207B\\u208A\\u208B]?([\\u2070\\u00B9\\u00B2\\u00B3\\u2074-\\u2079]+|[\\u2080-\\u2089]+)"},
            {"FRAC", "({DIGIT}{1,4}[- \\u00A0])?{DIGIT}{1,4}(\\\\?/|\\u2044){DIGIT}{1,4}"},
            {"FRAC2", "[\\u00BC\\u00BD\\u00BE\\u2153-\\u215E]"},
            {"DOLSIGN", "([A-Z]*\\$|#)"},
            {"DOLSIGN2", "[\\u00A2\\u00A3\\u00A4\\u00A5\\u0080\\u20A0\\u20AC\\u060B\\u0E3F\\u20A4\\uFFE0\\uFFE1\\uFFE5\\uFFE6]"},
            // Combining marks and other characters of words that Unicode does not class as letters.
            {"LETTER", "([:letter:]|{SPLET}|[\\u00AD\\u0237-\\u024F\\u02C2-\\u02C5\\u02D2-\\u02DF\\u02E5-\\u02FF"
                    + "\\u0300-\\u036F\\u0370-\\u037D\\u0384\\u0385\\u03CF\\u03F6\\u03FC-\\u03FF\\u0483-\\u0487"
                    + "\\u04CF\\u04F6-\\u04FF\\u0510-\\u0525\\u055A-\\u055F\\u0591-\\u05BD\\u05BF\\u05C1\\u05C2"
                    + "\\u05C4\\u05C5\\u05C7\\u0615-\\u061A\\u063B-\\u063F\\u064B-\\u065E\\u0670\\u06D6-\\u06EF"
                    + "\\u06FA-\\u06FF\\u070F\\u0711\\u0730-\\u074F\\u0750-\\u077F\\u07A6-\\u07B1\\u07CA-\\u07F5"
                    + "\\u07FA\\u0900-\\u0903\\u093C\\u093E-\\u094E\\u0951-\\u0955\\u0962-\\u0963\\u0981-\\u0983"
                    + "\\u09BC-\\u09C4\\u09C7\\u09C8\\u09CB-\\u09CD\\u09D7\\u09E2\\u09E3\\u0A01-\\u0A03\\u0A3C"
                    + "\\u0A3E-\\u0A4F\\u0A81-\\u0A83\\u0ABC-\\u0ACF\\u0B82\\u0BBE-\\u0BC2\\u0BC6-\\u0BC8"
                    + "\\u0BCA-\\u0BCD\\u0C01-\\u0C03\\u0C3E-\\u0C56\\u0D3E-\\u0D44\\u0D46-\\u0D48\\u0E30-\\u0E3A"
                    + "\\u0E47-\\u0E4E\\u0EB1-\\u0EBC\\u0EC8-\\u0ECD])"},
            {"WORD", "{LETTER}({LETTER}|{DIGIT})*([.!?]{LETTER}({LETTER}|{DIGIT})*)*"},
            {"FILENAME_EXT", "bat|bmp|c|class|cgi|cpp|dll|doc|docx|exe|gif|gz|h|htm|html|jar|java|jpeg|jpg"
                    + "|mov|mp3|pdf|php|pl|png|ppt|ps|py|sql|tar|txt|wav|x|xml|zip"},
            {"FILENAME", "({LETTER}|{DIGIT})+([.]({LETTER}|{DIGIT})+)*([.]{FILENAME_EXT})"},
            {"APOS", "['\\u0092\\u2019]|&apos;"},
            {"APOSETCETERA", "{APOS}|[`\\u0091\\u2018\\u201B]"},
            {"HYPHEN", "[-_\\u058A\\u2010\\u2011]"},
            {"ALNUM", "[:letter:]|[:digit:]"},
            {"ELIDED_PREFIX", "[dDoOlL]{APOSETCETERA}({ALNUM})"},
            {"THING", "({ELIDED_PREFIX})?({ALNUM})+({HYPHEN}({ELIDED_PREFIX})?({ALNUM})+)*"},
            {"THINGA", "[A-Z]+(([+&]|{SPAMP})[A-Z]+)+"},
            {"THING3", "[A-Za-z0-9]+(-[A-Za-z]+){0,2}(\\\\?/[A-Za-z0-9]+(-[A-Za-z]+){0,2}){1,2}"},
            {"ACRO", "[A-Za-z](\\.[A-Za-z])*|(Canada|Sino|Korean|EU|Japan|non)-U\\.S|U\\.S\\.-(U\\.K|U\\.S\\.S\\.R)"},
            {"ACRO2", "[A-Za-z](\\.[A-Za-z])+|(Canada|Sino|Korean|EU|Japan|non)-U\\.S|U\\.S\\.-(U\\.K|U\\.S\\.S\\.R)"},
            {"HTHING", "[A-Za-z0-9][A-Za-z0-9.,\\u00AD]*(-([A-Za-z0-9\\u00AD]+|{ACRO2}\\.))+"},
            {"REDAUX", "{APOS}([msdMSD]|re|ve|ll)"},
            // Words before n't; they cannot end in n.
            {"SWORD", "[A-Za-z\\u00AD]*[A-MO-Za-mo-z](\\u00AD)*"},
            {"SREDAUX", "n{APOSETCETERA}t"},
            {"APOWORD", "{APOS}n{APOS}?|[lLdDjJ]{APOS}|Dunkin{APOS}|somethin{APOS}|ol{APOS}|{APOS}em"
                    + "|[A-HJ-XZn]{APOSETCETERA}[:letter:]{2}[:letter:]*|{APOS}[2-9]0s|{APOS}till?"
                    + "|[:letter:][:letter:]*[aeiouyAEIOUY]{APOSETCETERA}[aeiouA-Z][:letter:]*|{APOS}cause"
                    + "|cont'd\\.?|'twas|nor'easter|c'mon|e'er|s'mores|ev'ry|li'l|nat'l|O{APOSETCETERA}o"},
            {"APOWORD2", "y{APOS}"},
            {"FULLURL", "https?://[^" + notSpaceOrBracket + "]+[^" + notSpaceOrBracket + ".!?,-]"},
            // Note the range ",-_" in the second class: it is in the reference too.
            {"LIKELYURL", "((www\\.([^" + notSpaceOrBracket + ".!?,]+\\.)+[a-zA-Z]{2,4})"
                    + "|(([^ \\t\\n\\f\\r\"`'<>|.!?(){},-_$]+\\.)+(com|net|org|edu)))"
                    + "(/[^ \\t\\n\\f\\r\"<>|()]+[^" + notSpaceOrBracket + ".!?,-])?"},
            {"EMAIL", "(&lt;|<)?[a-zA-Z0-9][^ \\t\\n\\f\\r\"<>|()\\u00A0{}]*@([^ \\t\\n\\f\\r\"<>|(){}.\\u00A0]+\\.)*"
                    + "([^ \\t\\n\\f\\r\"<>|(){}.\\u00A0]+)(&gt;|>)?"},
            {"TWITTER", "@[a-zA-Z_][a-zA-Z_0-9]*|#{LETTER}+"},
            // Abbreviations usually followed by a lower-case word; before an upper-case one they end a sentence.
            {"ABBREV1", "(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
                    + "|Mon|Tue|Tues|Wed|Thu|Thurs|Fri"
                    + "|Ala|Ariz|[A]z|[A]rk|Calif|Colo|Conn|Ct|Dak|[D]el|Fla|Ga|[I]ll|Ind|Kans?|Ky|[L]a|[M]ass|Md"
                    + "|Mich|Minn|[M]iss|Mo|Mont|Neb|Nev|Okla|[O]re|[P]a|Penn|Tenn|[T]ex|Va|Vt|[W]ash|Wisc?|Wyo"
                    + "|Inc|Cos?|Corp|Pp?t[ye]s?|Ltd|Plc|Rt|Bancorp|Bhd|Assn|Univ|Intl|Sys"
                    + "|tel|est|ext|sq"
                    + "|Jr|Sr|Bros|(Ed|Ph)\\.D|Blvd|Rd|Esq"
                    + "|etc|al|seq|Bldg)\\."},
            // Abbreviations usually followed by an upper-case word (titles, acronyms).
            {"ABBREV4", "Mr|Mrs|Ms|[M]iss|Drs?|Profs?|Sens?|Reps?|Attys?|Lt|Col|Gen|Messrs|Govs?|Adm|Rev|Maj"
                    + "|Sgt|Cpl|Pvt|Capt|Ste?|Ave|Pres|Lieut|Hon|Brig|Co?mdr|Pfc|Spc|Supts?|Det|Mt|Ft|Adj|Adv"
                    + "|Asst|Assoc|Ens|Insp|Mlle|Mme|Msgr|Sfc"
                    + "|vs|Alex|Wm|Jos|Cie|a\\.k\\.a|cf|TREAS|Ph|{ACRO}|Invt|Elec|Natl|M[ft]g|Dept"},
            {"ABBREV2", "({ABBREV4})\\."},
            {"ACRONYM", "({ACRO})\\."},
            // Abbreviations recognised only before a number.
            {"ABBREV3", "(ca|figs?|prop|nos?|art|bldg|prop|pp|op)\\."},
            {"PHONE", "(\\([0-9]{2,3}\\)[ \\u00A0]?|(\\+\\+?)?([0-9]{2,4}[\\- \\u00A0])?[0-9]{2,4}[\\- \\u00A0])"
                    + "[0-9]{3,4}[\\- \\u00A0]?[0-9]{3,5}"
                    + "|((\\+\\+?)?[0-9]{2,4}\\.)?[0-9]{2,4}\\.[0-9]{3,4}\\.[0-9]{3,5}"},
            {"LDOTS", "\\.{3,5}|(\\.[ \\u00A0]){2,4}\\.|[\\u0085\\u2026]"},
            {"FNMARKS", "@+|#+|_+"},
            {"ASTS", "\\*+|(\\\\\\*){1,3}"},
            {"INSENTP", "[,;:\\u3001]"},
            {"QUOTES", "{APOS}|''|[`\\u2018\\u2019\\u201A\\u201B\\u201C\\u201D\\u0091\\u0092\\u0093\\u0094\\u201E"
                    + "\\u201F\\u2039\\u203A\\u00AB\\u00BB]{1,2}"},
            {"DBLQUOT", "\"|&quot;"},
            {"TBSPEC", "-(RRB|LRB|RCB|LCB|RSB|LSB)-|C\\.D\\.s|pro-|anti-|S(&|&amp;)P-500|S(&|&amp;)Ls"
                    + "|Cap{APOS}n|c{APOS}est"},
            {"TBSPEC2", "{APOS}[0-9][0-9]"},
            {"SMILEY", "[<>]?[:;=][\\-o\\*']?[\\(\\)DPdpO\\\\{@\\|\\[\\]]"},
            // The first option is a literal "[^x=~<>]" after a dot, as the reference spells it.
            {"ASIANSMILEY", "[\\^x=~<>]\\.\\[\\^x=~<>]|[\\-\\^x=~<>']_[\\-\\^x=~<>']"
                    + "|\\([\\-\\^x=~<>'][_.]?[\\-\\^x=~<>']\\)|\\([\\^x=~<>']-[\\^x=~<>'`]\\)"},
            {"MISCSYMBOL", "[+%&~\\^|\\\\\\u00A6\\u00A7\\u00A8\\u00A9\\u00AC\\u00AE\\u00AF\\u00B0-\\u00BA\\u00D7"
                    + "\\u00F7\\u0387\\u05BE\\u05C0\\u05C3\\u05C6\\u05F3\\u05F4\\u0600-\\u0603\\u0606-\\u060A"
                    + "\\u060C\\u0614\\u061B\\u061E\\u066A\\u066D\\u0703-\\u070D\\u07F6-\\u07F8\\u0964\\u0965"
                    + "\\u0E4F\\u1FBD\\u2016\\u2017\\u2020-\\u2023\\u2030-\\u2038\\u203B\\u203E-\\u2042\\u2044"
                    + "\\u207A-\\u207F\\u208A-\\u208E\\u2100-\\u214F\\u2190-\\u21FF\\u2200-\\u2BFF\\u3012\\u30FB"
                    + "\\uFF01-\\uFF0F\\uFF1A-\\uFF20\\uFF3B-\\uFF40\\uFF5B-\\uFF65]"},
        };
    }

    /** The rules in priority order, with the options the reference command line uses. */
    private static List<Rule> rules(Map<String, Regex> macros, UnicodeClasses unicode) {
        List<Rule> list = new ArrayList<>();
        class Adder {
            void add(String body, String trailing, Action action) {
                list.add(new Rule(Regex.parse(body, macros, unicode),
                        trailing == null ? null : Regex.parse(trailing, macros, unicode), action));
            }

            void add(String body, Action action) {
                add(body, null, action);
            }
        }
        Adder r = new Adder();
        r.add("c[+][+]", keep());
        r.add("(c|f)#", keep());
        // Assimilations are split: can|not, 't|was, 't|is, gon|na ...
        r.add("cannot", giveBack(3));
        r.add("'twas", giveBack(3));
        r.add("'tis", giveBack(2));
        r.add("gonna|gotta|lemme|gimme|wanna", giveBack(2));
        r.add("{SGML}", normalized(PtbLexer::nonBreakingSpaces));
        r.add("{SPMDASH}", replaceWith("--"));
        r.add("{SPAMP}", normalized(PtbLexer::ampersands));
        r.add("{SPPUNC}", keep());
        r.add("{WORD}", "{REDAUX}", normalized(PtbLexer::withoutSoftHyphens));
        r.add("{SWORD}", "{SREDAUX}", normalized(PtbLexer::withoutSoftHyphens));
        r.add("{WORD}", normalized(PtbLexer::withoutSoftHyphens));
        r.add("{APOWORD}", keep());
        r.add("{APOWORD2}", "[:letter:]", keep());
        r.add("{FULLURL}", keep());
        r.add("{LIKELYURL}", keep());
        r.add("{EMAIL}", keep());
        r.add("{TWITTER}", keep());
        r.add("{REDAUX}", "[^A-Za-z]", quotes(false));
        r.add("{SREDAUX}", "[^A-Za-z]", quotes(false));
        r.add("{DATE}", keep());
        r.add("{NUMBER}", normalized(PtbLexer::withoutSoftHyphens));
        r.add("{SUBSUPNUM}", keep());
        r.add("{FRAC}", normalized(PtbLexer::nonBreakingSpaces));
        r.add("{FRAC2}", normalized(PtbLexer::fractions));
        r.add("{TBSPEC}", normalized(PtbLexer::ampersands));
        r.add("{THING3}", keep());
        r.add("{DOLSIGN}", keep());
        r.add("{DOLSIGN2}", normalized(PtbLexer::currency));
        r.add("{ACRONYM}", "{SPACENLS}([A]bout|[A]ccording|[A]dditionally|[A]fter|[A]n|[A]|[A]s|[A]t|[B]ut"
                + "|[E]arlier|[H]e|[H]er|[H]ere|[H]owever|[I]f|[I]n|[I]t|[L]ast|[M]any|[M]ore|[M]r\\.|[M]s\\."
                + "|[N]ow|[O]nce|[O]ne|[O]ther|[O]ur|[S]he|[S]ince|[S]o|[S]ome|[S]uch|[T]hat|[T]he|[T]heir"
                + "|[T]hen|[T]here|[T]hese|[T]hey|[T]his|[W]e|[W]hen|[W]hile|[W]hat|[Y]et|[Y]ou|{SGML}){SPACENL}",
                acronymAtSentenceEnd());
        r.add("{ABBREV3}", "{SPACENL}?[:digit:]", keep());
        r.add("(pt[eyEY]|co)\\.", "{SPACE}(ltd|lim)", keep());
        r.add("{ABBREV1}", "{SENTEND}", periodTwice());
        r.add("{ABBREV1}", "[^][^]", keep());
        r.add("{ABBREV1}", periodTwice());
        r.add("{ABBREV2}", keep());
        r.add("{ABBREV4}", "{SPACE}", keep());
        r.add("{ACRO}", "{SPACENL}", keep());
        r.add("{TBSPEC2}", "{SPACENL}", keep());
        r.add("{FILENAME}", "({SPACENL}|[.?!,])", keep());
        r.add("{WORD}\\.", "{INSENTP}", normalized(PtbLexer::withoutSoftHyphens));
        r.add("{PHONE}", normalized(s -> parentheses(nonBreakingSpaces(s))));
        r.add("{DBLQUOT}", "[A-Za-z0-9$]", quotes(true));
        r.add("{DBLQUOT}", quotes(false));
        r.add("\\x7f", skip());
        r.add("<|&lt;", replaceWith("<"));
        r.add(">|&gt;", replaceWith(">"));
        r.add("{SMILEY}", "[^A-Za-z0-9]", normalized(PtbLexer::parentheses));
        r.add("{ASIANSMILEY}", normalized(PtbLexer::parentheses));
        r.add("\\{", replaceWith("-LCB-"));
        r.add("\\}", replaceWith("-RCB-"));
        r.add("\\[", replaceWith("-LSB-"));
        r.add("\\]", replaceWith("-RSB-"));
        r.add("\\(", replaceWith("-LRB-"));
        r.add("\\)", replaceWith("-RRB-"));
        r.add("\\-+", dashes());
        r.add("{LDOTS}", replaceWith("..."));
        r.add("{FNMARKS}", keep());
        r.add("{ASTS}", keep());
        r.add("{INSENTP}", keep());
        r.add("[?!]+", keep());
        r.add("[.\\u00A1\\u00BF\\u037E\\u0589\\u061F\\u06D4\\u0700-\\u0702\\u07FA\\u3002]", keep());
        r.add("=", keep());
        r.add("/", keep());
        r.add("{HTHING}\\.", "{INSENTP}", normalized(PtbLexer::withoutSoftHyphens));
        r.add("{HTHING}", normalized(PtbLexer::withoutSoftHyphens));
        r.add("{THING}\\.", "{INSENTP}", keep());
        r.add("{THING}", keep());
        r.add("{THINGA}\\.", "{INSENTP}", normalized(PtbLexer::ampersands));
        r.add("{THINGA}", normalized(PtbLexer::ampersands));
        // A quote before a word is probably an opening one.
        r.add("'", "[A-Za-z][^ \\t\\n\\r\\u00A0]", quotes(true));
        r.add("{REDAUX}", quotes(false));
        r.add("{SREDAUX}", quotes(false));
        r.add("{QUOTES}", quotes(false));
        r.add("<<|>>", keep());
        r.add("{MISCSYMBOL}", keep());
        r.add("\\0|{SPACES}|[\\u200B\\u200E-\\u200F\\uFEFF]", skip());
        r.add("{NEWLINE}", lineBreak());
        r.add("&nbsp;", skip());
        // Anything else is untokenizable: the reference deletes it (and logs the first one).
        r.add(".", skip());
        return list;
    }
}
