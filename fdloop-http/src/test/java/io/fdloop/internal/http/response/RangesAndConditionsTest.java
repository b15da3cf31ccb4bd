package io.fdloop.internal.http.response;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RangesAndConditionsTest {
    private static String decide(String field, long length) {
        return switch (ByteRanges.decide(field, length, 4)) {
            case ByteRanges.Whole w -> "200";
            case ByteRanges.Unsatisfiable u -> "416";
            case ByteRanges.Partial p -> {
                List<String> parts = new ArrayList<>();
                for (ByteRanges.Range r : p.ranges()) {
                    parts.add(r.start() + "-" + (r.end() - 1));
                }
                yield String.join(",", parts);
            }
        };
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "bytes=0-0|0-0",
            "bytes=0-99|0-99",
            "bytes=0-1000|0-99",
            "bytes=10-|10-99",
            "bytes=-10|90-99",
            "bytes=-1000|0-99",
            "BYTES=5-6|5-6",
            "bytes= 1-2 , 4-5|1-2,4-5",
            "bytes=0-0,-1|0-0,99-99",
            "bytes=50-10|416",
            "bytes=100-|416",
            "bytes=100-200|416",
            "bytes=-0|416",
            "bytes=100-,0-0|0-0",
            "bytes=abc|416",
            "bytes=1-2-3|416",
            "bytes=1-a|416",
            "bytes=,|416",
            "bytes=0-1,|416",
            "bytes=--1|416",
            "bytes=99999999999999999999-|416",
            "bytes=-99999999999999999999|416",
            "items=0-1|200",
            "bytes=|200",
            "bytes 0-1|200",
            "bytes=0-50,40-99|200",
            "bytes=0-99,0-99|200",
            "bytes=0-1,2-3,4-5,6-7|0-1,2-3,4-5,6-7",
            "bytes=0-1,2-3,4-5,6-7,8-9|200",
            "bytes=5-9,0-4|5-9,0-4",
    })
    void shouldDecideRangesAsNginxDoes(String field, String expected) {
        assertEquals(expected, decide(field, 100));
    }

    @Test
    void shouldServeAnEmptyRepresentationWholeWhenAskedFromZero() {
        assertEquals("200", decide("bytes=0-", 0));
        assertEquals("200", decide("bytes=-5", 0));
        assertEquals("416", decide("bytes=1-", 0));
    }

    @Test
    void shouldMatchEntityTagsStronglyAndWeakly() {
        String tag = "\"abc-1\"";
        assertTrue(EntityTags.strongMatch("*", tag));
        assertTrue(EntityTags.strongMatch("\"x\", \"abc-1\"", tag));
        assertFalse(EntityTags.strongMatch("W/\"abc-1\"", tag), "a weak tag never matches strongly");
        assertFalse(EntityTags.strongMatch("\"abc-2\"", tag));
        assertFalse(EntityTags.strongMatch("abc-1", tag), "an unquoted tag is malformed");
        assertTrue(EntityTags.weakMatch("W/\"abc-1\"", tag));
        assertTrue(EntityTags.weakMatch("\"q\",W/\"abc-1\"", tag));
        assertTrue(EntityTags.weakMatch(" * ", tag));
        assertFalse(EntityTags.weakMatch("\"abc-1", tag));
        assertFalse(EntityTags.weakMatch("\"abc\"", tag));
        assertTrue(EntityTags.weakMatch("\"a,b\", \"abc-1\"", tag), "a comma inside a tag does not split it");
        assertFalse(EntityTags.weakMatch("\"a\" junk, \"abc-1\"", tag), "matching stops where the list stops parsing");
    }

    @Test
    void shouldTellStrongIfRangeValidators() {
        String tag = "\"t\"";
        long modified = 1_000_000;
        String date = HttpDates.format(modified);
        assertTrue(Preconditions.ifRangeHolds("\"t\"", tag, modified, modified + 10));
        assertFalse(Preconditions.ifRangeHolds("W/\"t\"", tag, modified, modified + 10));
        assertFalse(Preconditions.ifRangeHolds("\"u\"", tag, modified, modified + 10));
        assertTrue(Preconditions.ifRangeHolds(date, tag, modified, modified + 10));
        assertFalse(Preconditions.ifRangeHolds(HttpDates.format(modified + 1), tag, modified, modified + 10),
                "a date must equal Last-Modified exactly");
        assertFalse(Preconditions.ifRangeHolds(date, tag, modified, modified), "a modification in this second is weak");
        assertFalse(Preconditions.ifRangeHolds("not a date", tag, modified, modified + 10));
    }
}
