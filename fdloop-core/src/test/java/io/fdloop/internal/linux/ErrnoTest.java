package io.fdloop.internal.linux;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** errno symbols and messages, from glibc. */
class ErrnoTest {

    @Test
    void shouldNameAndDescribeEinval() {
        assertEquals("EINVAL", Errno.name(22));
        assertEquals("Invalid argument", Errno.description(22));
    }

    @Test
    void shouldNameEveryConstantAsGlibcDoes() throws IllegalAccessException {
        int checked = 0;
        for (Field field : Errno.class.getFields()) {
            if (field.getType() == int.class && Modifier.isStatic(field.getModifiers())) {
                int errno = field.getInt(null);
                assertEquals(field.getName(), Errno.name(errno), "errno " + errno);
                assertFalse(Errno.description(errno).isBlank(), field.getName());
                checked++;
            }
        }
        assertTrue(checked >= 20, "checked " + checked);
    }

    @Test
    void shouldFallBackForAnErrnoLibcDoesNotKnow() {
        assertEquals("errno 4000", Errno.name(4000));
        assertTrue(Errno.description(4000).contains("4000"), Errno.description(4000));
    }
}
