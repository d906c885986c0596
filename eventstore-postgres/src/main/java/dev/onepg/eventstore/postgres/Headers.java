package dev.onepg.eventstore.postgres;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jooq.JSONB;
import org.jooq.tools.json.JSONParser;
import org.jooq.tools.json.JSONValue;
import org.jooq.tools.json.ParseException;

/** Event headers as the {@code jsonb} object they are stored as. */
final class Headers {

    private Headers() {}

    static JSONB toJson(Map<String, String> headers) {
        return JSONB.jsonb(JSONValue.toJSONString(headers));
    }

    static Map<String, String> fromJson(JSONB json) {
        if (json.data().equals("{}")) {
            // Most events have no headers; parsing "{}" took a third of a rebuild's reading.
            return new LinkedHashMap<>();
        }
        try {
            Object parsed = new JSONParser().parse(json.data());
            Map<String, String> headers = new LinkedHashMap<>();
            if (parsed instanceof Map<?, ?> map) {
                map.forEach((key, value) -> headers.put(String.valueOf(key), String.valueOf(value)));
            }
            return headers;
        } catch (ParseException e) {
            throw new IllegalStateException("Stored event headers are not a JSON object: " + json.data(), e);
        }
    }
}
