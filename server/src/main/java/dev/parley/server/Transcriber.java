package dev.parley.server;

/** Turns dictated audio into text for {@code input.transcribe}. */
@FunctionalInterface
public interface Transcriber {
    /**
     * @param mimeType  the raw type the client sent, e.g. {@code audio/webm;codecs=opus}
     * @param mediaType the part before {@code ;}, e.g. {@code audio/webm}
     * @return the recognised text
     */
    String transcribe(byte[] audio, String mimeType, String mediaType, RequestContext context) throws Exception;
}
