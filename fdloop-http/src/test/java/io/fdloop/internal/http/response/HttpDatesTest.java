package io.fdloop.internal.http.response;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.InstantSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class HttpDatesTest {
    private static final long NOV_6_1994 = 784111777L; // Sun, 06 Nov 1994 08:49:37 GMT

    @Test
    void shouldFormatImfFixdate() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDates.format(NOV_6_1994));
        assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", HttpDates.format(0));
        assertEquals("Thu, 29 Feb 2024 23:59:59 GMT", HttpDates.format(Instant.parse("2024-02-29T23:59:59Z").getEpochSecond()));
    }

    @Test
    void shouldParseTheThreeFormsRfc9110Names() {
        assertEquals(NOV_6_1994, HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT"));
        assertEquals(NOV_6_1994, HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT"));
        assertEquals(NOV_6_1994, HttpDates.parse("Sun Nov  6 08:49:37 1994"));
        assertEquals(Instant.parse("2031-05-17T01:02:03Z").getEpochSecond(), HttpDates.parse("Saturday, 17-May-31 01:02:03 GMT"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:49:37 GMT", "Sun, 06 Nov 1994 08:60:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT", "Xyz, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT, x",
            "Sunday, 06-Nov-94 08:49:37", "Sun Nov 6 08:49:37 1994", "Sun, 06 Nov 19a4 08:49:37 GMT",
            "\"Sun, 06 Nov 1994 08:49:37 GMT\""})
    void shouldRefuseWhatIsNotAnHttpDate(String s) {
        assertEquals(HttpDates.INVALID, HttpDates.parse(s));
    }

    @Test
    void shouldRoundTrip() {
        for (long t = 0; t < 4_000_000_000L; t += 987_654_321L) {
            assertEquals(t, HttpDates.parse(HttpDates.format(t)));
        }
    }

    @Test
    void shouldFormatTheDateHeaderOncePerSecond() {
        long[] now = {NOV_6_1994 * 1000 + 100};
        InstantSource source = () -> Instant.ofEpochMilli(now[0]);
        DateClock clock = new DateClock(source);
        String first = clock.httpDate();
        now[0] += 800;
        assertSame(first, clock.httpDate(), "the same second reuses its text");
        now[0] += 200;
        assertEquals("Sun, 06 Nov 1994 08:49:38 GMT", clock.httpDate());
    }
}
