<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${kcSanitize(msg("dropin.email.body.intro." + purpose))?no_esc}</p>
<p style="font-size: 28px; font-weight: bold; letter-spacing: 6px;">${code}</p>
<p>${kcSanitize(msg("dropin.email.body.expiry", lifetimeMinutes))?no_esc}</p>
</@layout.emailLayout>
