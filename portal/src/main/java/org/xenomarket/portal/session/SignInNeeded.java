package org.xenomarket.portal.session;

/** The page needs a signed-in person and there is none (any more): the person is sent to sign in. */
public class SignInNeeded extends RuntimeException {

    public SignInNeeded() {
        super("sign-in needed", null, false, false);
    }
}
