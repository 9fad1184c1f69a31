package dev.parley.model.embedded;

import java.util.List;
import java.util.Set;

/**
 * Tells English from the languages visitors of a European site most often write in, so that a question it cannot
 * read is not answered with whatever English passage happens to share its numbers. The embedding model is English;
 * its similarities for other languages are noise ("Wat kost een website?" lands nearest the office address).
 *
 * <p>Counting each language's most common short words is enough for a sentence: they make up a third of any text,
 * and the lists below barely overlap with English. Scripts other than Latin are named by their script.
 */
final class Languages {
    /** A language and its most common words (those that are also English words are left out). */
    private record Language(String name, Set<String> words) {}

    private static final List<Language> LATIN = List.of(
            new Language("Dutch", Set.copyOf(List.of(("de het een en van ik je jij u jullie we wij zij ze is zijn niet wat "
                    + "hoe waar wie wanneer waarom kost kosten hoeveel voor met op te dat dit die er ook maar naar bij "
                    + "kunnen kunt kan wil willen graag heb hebben heeft ons onze mijn jouw uw bent wordt worden "
                    + "zou zouden of mee nog al hier daar welke bedrijf website's bouwen maken").split(" ")))),
            new Language("German", Set.copyOf(List.of(("der die das ein eine einen und ist sind nicht was wie wo wer wann "
                    + "warum kostet kosten für mit auf zu dass ich du sie wir ihr ihr ihnen uns unser unsere mein "
                    + "können kann möchte möchten haben hat bei von nach auch aber oder noch schon hier dort welche "
                    + "büro firma webseite bauen machen gibt es").split(" ")))),
            new Language("French", Set.copyOf(List.of(("le la les un une des et est sont ne pas que qui quoi comment où quand "
                    + "pourquoi combien coûte coûtent pour avec sur dans ce cette je tu vous nous ils elles mon ma mes "
                    + "votre vos notre nos peut pouvez voudrais avez avons chez aussi mais ou site entreprise faire "
                    + "bonjour merci").split(" ")))),
            new Language("Spanish", Set.copyOf(List.of(("el la los las un una unos y es son no que qué cómo dónde cuándo por "
                    + "cuánto cuanto cuesta cuestan para con en este esta yo tú usted ustedes nosotros mi mis su sus "
                    + "nuestra nuestro puede pueden tienen tiene hacer también pero o sitio empresa tienda hola "
                    + "gracias").split(" ")))),
            new Language("Portuguese", Set.copyOf(List.of(("o a os as um uma e é são não que como onde quando por quanto custa "
                    + "custam para com em no na este esta eu você vocês nós meu minha seu sua nosso nossa pode podem "
                    + "têm tem fazer também mas ou site empresa loja olá obrigado obrigada").split(" ")))),
            new Language("Italian", Set.copyOf(List.of(("il lo la i gli le un una e è sono non che come dove quando perché "
                    + "quanto costa costano per con in su questo questa io tu voi noi mio mia suo sua nostro nostra "
                    + "può possono avete hanno fare anche ma o sito azienda negozio ciao grazie").split(" ")))));

    private static final Set<String> ENGLISH = Set.copyOf(List.of(("the a an and or is are was were be do does did not what how "
            + "where who when why much many cost costs for with on to that this there i you we they it my your our "
            + "can could would will have has had of in at by from about need want build make website site price "
            + "long time please hi hello thanks").split(" ")));

    private Languages() {}

    /**
     * {@return the name of the language {@code text} is written in when that is clearly not English ("Dutch",
     * "Japanese"), or null when it is English or too short to tell}
     */
    static String notEnglish(String text) {
        String script = script(text);
        if (script != null) return script;
        List<String> words = Terms.words(text);
        int english = 0;
        for (String w : words) if (ENGLISH.contains(w)) english++;
        Language best = null;
        int bestCount = 0;
        for (Language language : LATIN) {
            int count = 0;
            for (String w : words) if (language.words().contains(w) && !ENGLISH.contains(w)) count++;
            if (count > bestCount) {
                best = language;
                bestCount = count;
            }
        }
        // Two of its own words and more than English has: a loan word or a name in an English question is not enough.
        return best != null && bestCount >= 2 && bestCount > english ? best.name() : null;
    }

    /** {@return the name of the script most letters of {@code text} are in, when that is not Latin; else null} */
    private static String script(String text) {
        int latin = 0;
        int other = 0;
        Character.UnicodeScript main = null;
        int[] counts = new int[Character.UnicodeScript.values().length];
        for (int cp : text.codePoints().toArray()) {
            if (!Character.isLetter(cp)) continue;
            Character.UnicodeScript s = Character.UnicodeScript.of(cp);
            if (s == Character.UnicodeScript.LATIN) {
                latin++;
                continue;
            }
            other++;
            if (++counts[s.ordinal()] > (main == null ? 0 : counts[main.ordinal()])) main = s;
        }
        if (other <= latin || main == null) return null;
        return switch (main) {
            case HIRAGANA, KATAKANA -> "Japanese";
            case HAN -> counts[Character.UnicodeScript.HIRAGANA.ordinal()] + counts[Character.UnicodeScript.KATAKANA.ordinal()] > 0
                    ? "Japanese" : "Chinese";
            case HANGUL -> "Korean";
            case CYRILLIC -> "a Cyrillic script";
            case ARABIC -> "Arabic script";
            case GREEK -> "Greek";
            case HEBREW -> "Hebrew";
            default -> "a script other than Latin";
        };
    }
}
