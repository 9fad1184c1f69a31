package dev.parley.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContactDetailsTest {
    @Test
    void findsAddressesAndPhoneNumbersButNotPricesOrYears() {
        var found = ContactDetails.in("Mail j.smith@acme-example.co.uk or call +31 (0)6 1234 5678; budget 25,000 to 80,000 in 2026");
        assertThat(found.emails()).containsExactly("j.smith@acme-example.co.uk");
        assertThat(found.phones()).containsExactly("+31 (0)6 1234 5678");
        assertThat(ContactDetails.in("A landing page costs 1,500 to 3,500 euros since 2013").isEmpty()).isTrue();
        assertThat(ContactDetails.in("What's your email address?").isEmpty()).isTrue();
    }

    @Test
    void whatIsLeftIsTheRestOfTheMessage() {
        assertThat(ContactDetails.without("my email is anna@example.com, how much is a shop?").strip())
                .isEqualTo("my email is  , how much is a shop?");
    }
}
