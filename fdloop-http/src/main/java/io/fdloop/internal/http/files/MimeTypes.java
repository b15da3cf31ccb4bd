package io.fdloop.internal.http.files;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code Content-Type} by file name extension, from the {@code mime.types} table beside this class.
 * Text types get {@code ; charset=utf-8}; a name with no known extension is
 * {@code application/octet-stream}, as nginx's {@code default_type}.
 *
 * <p><b>Immutable; any thread.</b>
 */
public final class MimeTypes {
    public static final String DEFAULT = "application/octet-stream";
    private static final MimeTypes STANDARD = load();

    private final Map<String, String> byExtension;

    private MimeTypes(Map<String, String> byExtension) {
        this.byExtension = Map.copyOf(byExtension);
    }

    /** The table shipped with fdloop-http. */
    public static MimeTypes standard() {
        return STANDARD;
    }

    /** The Content-Type value for a file name (the extension is matched without regard to case). */
    public String contentType(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) {
            return DEFAULT;
        }
        String type = byExtension.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
        return type == null ? DEFAULT : type;
    }

    /** Whether a media type is text that a browser decodes with the charset parameter. */
    static boolean isText(String type) {
        return type.startsWith("text/") || type.equals("application/javascript") || type.equals("application/json")
                || type.equals("application/xml") || type.endsWith("+xml") || type.endsWith("+json");
    }

    private static MimeTypes load() {
        Map<String, String> map = new HashMap<>();
        try (InputStream in = MimeTypes.class.getResourceAsStream("mime.types")) {
            if (in == null) {
                throw new IllegalStateException("mime.types is missing beside " + MimeTypes.class.getName());
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            while ((line = reader.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] words = line.split("\\s+");
                String type = isText(words[0]) ? words[0] + "; charset=utf-8" : words[0];
                for (int i = 1; i < words.length; i++) {
                    String previous = map.put(words[i], type);
                    if (previous != null) {
                        throw new IllegalStateException("mime.types maps ." + words[i] + " twice");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read mime.types", e);
        }
        return new MimeTypes(map);
    }
}
