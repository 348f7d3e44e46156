-- The one rounding rule of the market's money (see money/MinorUnits.java, its Java twin): the exact
-- quotient numerator / denominator, scaled to the currency's minor units (10^digits), rounded half
-- even (banker's rounding, as pricing-rules' Money) to a whole number. Integer arithmetic on numeric
-- (div and mod are exact), so no intermediate division is ever rounded first: a charge is rounded
-- once, here. PostgreSQL's round() rounds half away from zero, hence this function.
CREATE FUNCTION minor_units(numerator numeric, denominator numeric, digits integer)
RETURNS bigint LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT (sign(numerator) * (
        div(abs(numerator) * power(10::numeric, digits), denominator)
        + CASE sign(2 * mod(abs(numerator) * power(10::numeric, digits), denominator) - denominator)
              WHEN 1 THEN 1
              WHEN 0 THEN mod(div(abs(numerator) * power(10::numeric, digits), denominator), 2)
              ELSE 0
          END))::bigint
$$;
