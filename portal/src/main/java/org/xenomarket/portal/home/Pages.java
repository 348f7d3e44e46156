package org.xenomarket.portal.home;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.RequestScoped;
import org.xenomarket.portal.session.CurrentSession;

/** Starts a page's template with what every page's frame shows: who is signed in, for the navigation. */
@RequestScoped
public class Pages {

    private final CurrentSession current;

    public Pages(CurrentSession current) {
        this.current = current;
    }

    public TemplateInstance of(Template template, String title) {
        return template.data("me", current.present() ? current.get() : null).data("title", title);
    }
}
