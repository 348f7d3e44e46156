/** Crash-safe file primitives. */
package org.xenomarket.metering.storage;
