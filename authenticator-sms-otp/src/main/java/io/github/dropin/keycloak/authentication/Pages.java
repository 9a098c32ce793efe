package io.github.dropin.keycloak.authentication;

import io.github.dropin.keycloak.code.CodePolicy;
import jakarta.ws.rs.core.Response;
import org.keycloak.forms.login.LoginFormsProvider;

import java.util.HashMap;
import java.util.Map;

/**
 * The two pages of the pack's login theme ({@code theme-resources/templates}): the phone number page and the code
 * page. Every flow renders them through here, so that they look and behave the same everywhere and so that a known
 * and an unknown number get byte-for-byte the same page.
 */
public final class Pages {

    public static final String PHONE_TEMPLATE = "dropin-phone-number.ftl";
    public static final String CODE_TEMPLATE = "dropin-sms-code.ftl";

    /** Form field of the phone page. */
    public static final String FIELD_PHONE = "phoneNumber";
    /** Form field of the code page. */
    public static final String FIELD_CODE = "code";
    /** Submit button of the code page that asks for a new code. */
    public static final String ACTION_RESEND = "resend";
    /** Submit button of the code page that goes back to the phone page. */
    public static final String ACTION_CHANGE_NUMBER = "changeNumber";

    private Pages() {
    }

    /** Texts of one use of the pages (message keys of the theme's bundles). */
    public record Texts(String title, String instruction, String submit) {

        public static final Texts LOGIN = new Texts("dropin.login.phoneTitle", "dropin.login.phoneInstruction", "dropin.login.sendCode");
        public static final Texts LOGIN_CODE = new Texts("dropin.login.codeTitle", "dropin.login.codeInstruction", "doLogIn");
        public static final Texts RESET = new Texts("dropin.reset.phoneTitle", "dropin.reset.phoneInstruction", "dropin.login.sendCode");
        public static final Texts RESET_CODE = new Texts("dropin.reset.codeTitle", "dropin.reset.codeInstruction", "doContinue");
        public static final Texts VERIFY = new Texts("dropin.verify.phoneTitle", "dropin.verify.phoneInstruction", "dropin.login.sendCode");
        public static final Texts VERIFY_CODE = new Texts("dropin.verify.codeTitle", "dropin.login.codeInstruction", "doSubmit");
        public static final Texts UPDATE = new Texts("dropin.update.phoneTitle", "dropin.update.phoneInstruction", "dropin.login.sendCode");
        public static final Texts UPDATE_CODE = new Texts("dropin.update.codeTitle", "dropin.login.codeInstruction", "doSubmit");
    }

    /**
     * The phone number page.
     *
     * @param value        the number to show in the field (what the person typed), may be {@code null}
     * @param currentPhone the person's current number, shown masked (update), may be {@code null}
     */
    public static Response phone(LoginFormsProvider form, Texts texts, String value, String currentPhone) {
        Map<String, Object> bean = new HashMap<>();
        bean.put("title", texts.title());
        bean.put("instruction", texts.instruction());
        bean.put("submit", texts.submit());
        bean.put("value", value == null ? "" : value);
        if (currentPhone != null) {
            bean.put("currentPhone", mask(currentPhone));
        }
        bean.put("offerRegistration", texts == Texts.LOGIN);
        return form.setAttribute("dropinPhone", bean).createForm(PHONE_TEMPLATE);
    }

    /**
     * The code page.
     *
     * @param phone        where the code went (shown masked)
     * @param resendIn     seconds before "send a new code" is allowed
     * @param changeNumber whether to offer going back to the phone page
     */
    public static Response code(LoginFormsProvider form, Texts texts, String phone, CodePolicy policy, long resendIn,
                                boolean changeNumber) {
        Map<String, Object> bean = new HashMap<>();
        bean.put("title", texts.title());
        bean.put("instruction", texts.instruction());
        bean.put("submit", texts.submit());
        bean.put("maskedPhone", mask(phone));
        bean.put("codeLength", policy.length());
        bean.put("lifetimeMinutes", Math.max(1, (policy.lifetimeSeconds() + 59) / 60));
        bean.put("resendIn", resendIn);
        bean.put("changeNumber", changeNumber);
        return form.setAttribute("dropinCode", bean).createForm(CODE_TEMPLATE);
    }

    /**
     * {@code +4915112345678} becomes {@code +49 •••••••••78} (with a no-break space, so that the number never wraps):
     * enough for a person to recognise their own number, too little to learn someone else's from a password alone
     * (second-factor pages).
     */
    public static String mask(String e164) {
        if (e164 == null || e164.length() < 6) {
            return "••••";
        }
        String countryPart = e164.substring(0, 3);
        String last = e164.substring(e164.length() - 2);
        return countryPart + "\u00A0" + "•".repeat(Math.max(2, e164.length() - 5)) + last;
    }
}
