/** Meter to numbered, signed, spooled record, committed only once durable. */
package org.xenomarket.metering.issuing;
