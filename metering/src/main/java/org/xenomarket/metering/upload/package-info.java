/** Moving spooled records to the market: sink, outcomes, backoff, upload loop. */
package org.xenomarket.metering.upload;
