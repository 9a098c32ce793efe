<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${kcSanitize(msg("dropin.email.body.intro.password_reset_token", realmName))?no_esc}</p>
<p style="font-family: monospace; font-size: 18px; font-weight: bold;">${token}</p>
<p>${kcSanitize(expiry)?no_esc}</p>
</@layout.emailLayout>
