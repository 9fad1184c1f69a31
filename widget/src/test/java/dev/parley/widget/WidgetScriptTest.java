package dev.parley.widget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The widget script as this jar builds it for servers that are not Parley's own. */
class WidgetScriptTest {

    @Test
    void buildsFromThisJarsFilesWithTheLibrariesWrappedAndAGuardAgainstASecondCopy() {
        String js = WidgetScript.build();
        assertThat(js).startsWith("/*! Parley chat widget.");
        assertThat(js).contains("window.Parley && window.Parley.__parley) return;");
        assertThat(js).contains("vendor[\"marked\"] = (function () {", "vendor[\"dompurify\"] = (function () {");
        assertThat(js).contains("class ParleyChatElement");
        assertThat(js).doesNotContain("//# sourceMappingURL=");
    }

    @Test
    void aMissingLibraryIsNamed() {
        assertThatThrownBy(() -> WidgetScript.build(path -> null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("public/widget/vendor/");
    }
}
