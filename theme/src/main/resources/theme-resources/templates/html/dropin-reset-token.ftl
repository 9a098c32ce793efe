<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${kcSanitize(msg("dropin.email.body.intro.password_reset_token", realmName))?no_esc}</p>
<p style="font-family: monospace; font-size: 18px; font-weight: bold;">${token}</p>
<#if (lifetimeMinutes < 120)>
<p>${kcSanitize(msg("dropin.email.body.token.expiry.minutes", lifetimeMinutes))?no_esc}</p>
<#else>
<p>${kcSanitize(msg("dropin.email.body.token.expiry.hours", lifetimeHours))?no_esc}</p>
</#if>
</@layout.emailLayout>
