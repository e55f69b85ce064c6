@NullMarked
package dev.hearth.registry.db;

import org.jspecify.annotations.NullMarked;
