/** The usage record, its canonical signed encoding and its JSON wire form. */
package org.xenomarket.metering.record;
