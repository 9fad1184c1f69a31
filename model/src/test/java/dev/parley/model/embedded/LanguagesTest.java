package dev.parley.model.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LanguagesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Wat kost een website bij jullie? | Dutch",
        "Was kostet eine Webseite bei Ihnen? | German",
        "Combien coûte un site web chez vous ? | French",
        "¿Cuánto cuesta una tienda online? | Spanish",
        "Quanto custa um site para a minha empresa? | Portuguese",
        "Quanto costa un sito web per la mia azienda? | Italian",
        "ウェブサイトの料金はいくらですか？ | Japanese",
    })
    void namesTheLanguageOfAMessageItCannotAnswer(String message, String language) {
        assertThat(Languages.notEnglish(message)).isEqualTo(language);
    }

    @Test
    void englishWithForeignNamesOrLoanWordsIsEnglish() {
        assertThat(Languages.notEnglish("Is your office on the Oudegracht in Utrecht?")).isNull();
        assertThat(Languages.notEnglish("Can you build a site for our café, Le Petit Déjeuner?")).isNull();
        assertThat(Languages.notEnglish("How much does a landing page cost?")).isNull();
        assertThat(Languages.notEnglish("bob@example.org")).isNull();
    }
}
