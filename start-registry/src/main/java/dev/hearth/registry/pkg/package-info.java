@NullMarked
package dev.hearth.registry.pkg;

import org.jspecify.annotations.NullMarked;
