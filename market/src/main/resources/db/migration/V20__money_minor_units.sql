-- The one rounding rule of the market's money (see money/MinorUnits.java, its Java twin): the exact
-- quotient numerator / denominator, scaled to the currency's minor units (10^digits), rounded half
-- up (half away from zero) to a whole number. Integer arithmetic on numeric (div truncates exactly),
-- so no intermediate division is ever rounded first: the charge is rounded once, here.
CREATE FUNCTION minor_units(numerator numeric, denominator numeric, digits integer)
RETURNS bigint LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT (sign(numerator) * div(2 * abs(numerator) * power(10::numeric, digits) + denominator,
                                  2 * denominator))::bigint
$$;
