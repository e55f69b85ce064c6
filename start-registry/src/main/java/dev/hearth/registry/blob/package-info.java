@NullMarked
package dev.hearth.registry.blob;

import org.jspecify.annotations.NullMarked;
