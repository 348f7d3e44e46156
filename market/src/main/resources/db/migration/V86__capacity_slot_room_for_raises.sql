-- A clearing round raises the same capacity slots again and again: every chunk of bookings raises
-- hours an earlier chunk or pass reserved. With full pages each raise is a new row version on another
-- page plus a new primary-key entry; leaving 30 % of each page free lets the row version stay on its
-- page (a HOT update, no index entry). Measured on a copy of a 100,000-bid round's 322,738 slots,
-- raising 46,644 of them: 442-536 ms at the default fill, 293-466 ms at 70 (docs/benchmarks.md).
-- Only pages written from now on are filled to 70 %; the constraints are unchanged.
ALTER TABLE capacity_slot SET (fillfactor = 70);
