package org.xenomarket.portal.form;

/** The market's messages in words for a person: a sentence, starting with a capital, ending with a stop. */
public final class Plain {

    private Plain() {
    }

    public static String words(String message) {
        if (message == null || message.isBlank()) {
            return "Something is wrong with this value.";
        }
        String text = message.strip();
        text = Character.toUpperCase(text.charAt(0)) + text.substring(1);
        return text.endsWith(".") || text.endsWith("?") || text.endsWith("!") ? text : text + ".";
    }
}
