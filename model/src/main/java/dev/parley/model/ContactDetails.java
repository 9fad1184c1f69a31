package dev.parley.model;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The e-mail addresses and phone numbers a visitor writes into a message, so that the reply can say they were
 * noted instead of searching the knowledge base for "my email is anna@example.com". Recording them for the team is
 * the server's job; this only finds them, for the embedded provider's reply and the server's lead list alike.
 *
 * <pre>{@code
 * ContactDetails.in("reach me at anna@example.com or +31 6 1234 5678").all(); // [anna@example.com, +31 6 1234 5678]
 * }</pre>
 */
public final class ContactDetails {
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    /** A phone number: an optional +, then digits in groups separated by spaces, dots, dashes or brackets. */
    private static final Pattern PHONE = Pattern.compile("(?<![\\w@.])\\+?\\(?\\d[\\d ().-]{6,}\\d(?![\\w@])");
    private static final int MIN_PHONE_DIGITS = 8;
    private static final int MAX_PHONE_DIGITS = 15;

    /** What was found, in the order written; text with neither is empty. */
    public record Found(List<String> emails, List<String> phones) {
        public boolean isEmpty() {
            return emails.isEmpty() && phones.isEmpty();
        }

        /** {@return every detail, e-mail addresses first} */
        public List<String> all() {
            List<String> out = new ArrayList<>(emails);
            out.addAll(phones);
            return out;
        }
    }

    private ContactDetails() {}

    /** {@return the e-mail addresses and phone numbers in {@code text}, in the order written} */
    public static Found in(String text) {
        // Every message passes through here, and most hold neither detail: a scan for what each needs at the least
        // (an @, eight digits) skips the patterns, which try a match at every position and were 12 % of a turn.
        boolean maybeEmail = text.indexOf('@') >= 0;
        boolean maybePhone = digits(text) >= MIN_PHONE_DIGITS;
        if (!maybeEmail && !maybePhone) return NONE;
        List<String> emails = new ArrayList<>();
        if (maybeEmail) {
            Matcher m = EMAIL.matcher(text);
            while (m.find()) emails.add(m.group());
        }
        List<String> phones = new ArrayList<>();
        if (!maybePhone) return new Found(List.copyOf(emails), List.of());
        Matcher p = PHONE.matcher(maybeEmail ? EMAIL.matcher(text).replaceAll(" ") : text);
        while (p.find()) {
            String number = p.group().strip();
            long digits = number.chars().filter(Character::isDigit).count();
            // Prices ("25,000 to 80,000") and years have too few digits or commas; a phone number has 8–15 digits.
            if (digits >= MIN_PHONE_DIGITS && digits <= MAX_PHONE_DIGITS) phones.add(number);
        }
        return new Found(List.copyOf(emails), List.copyOf(phones));
    }

    private static final Found NONE = new Found(List.of(), List.of());

    private static int digits(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') n++;
        }
        return n;
    }

    /** {@return {@code text} without the details found in it, for answering what else the message asks} */
    public static String without(String text) {
        String rest = EMAIL.matcher(text).replaceAll(" ");
        Matcher p = PHONE.matcher(rest);
        StringBuilder out = new StringBuilder();
        while (p.find()) {
            long digits = p.group().chars().filter(Character::isDigit).count();
            p.appendReplacement(out, digits >= MIN_PHONE_DIGITS && digits <= MAX_PHONE_DIGITS ? " " : Matcher.quoteReplacement(p.group()));
        }
        p.appendTail(out);
        return out.toString();
    }
}
