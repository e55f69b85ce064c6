@NullMarked
package dev.hearth.registry.auth;

import org.jspecify.annotations.NullMarked;
