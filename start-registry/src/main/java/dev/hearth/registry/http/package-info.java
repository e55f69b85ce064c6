@NullMarked
package dev.hearth.registry.http;

import org.jspecify.annotations.NullMarked;
