-- The one rounding rule of the market's money (see money/MinorUnits.java, its Java twin): the exact
-- quotient numerator / denominator, scaled to the currency's minor units (10^digits), rounded half
-- even (banker's rounding, as pricing-rules' Money) to a whole number. Integer arithmetic on numeric
-- (div is exact), so no intermediate division is ever rounded first: a charge is rounded once, here.
-- PostgreSQL's round() rounds half away from zero, hence this function. PL/pgSQL rather than SQL:
-- a SQL function this shape is not inlined, and PL/pgSQL runs it about 3.5 times faster per call
-- (4.5 against 16 microseconds), which the invoice run's tens of thousands of lines feel.
CREATE FUNCTION minor_units(numerator numeric, denominator numeric, digits integer)
RETURNS bigint LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    scaled numeric := abs(numerator) * power(10::numeric, digits);
    whole numeric := div(scaled, denominator);
    twice_rest numeric := 2 * (scaled - whole * denominator);
BEGIN
    IF twice_rest > denominator OR (twice_rest = denominator AND mod(whole, 2) = 1) THEN
        whole := whole + 1;
    END IF;
    RETURN (sign(numerator) * whole)::bigint;
END
$$;
