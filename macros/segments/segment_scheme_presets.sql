{#- Scheme presets: which shipped schemes a project starts from, chosen with
    the one var audience_segments_scheme_preset. A preset is an ordered list
    of shipped scheme names (default_schemes.sql and, for the audiences the
    defaults do not fit, shipped_scheme_variants.sql); the order is the order
    of the columns of customer_segments. Segment counts are rule segments
    (the fallback apart) against the benchmarks in ../shared/DOMAIN.md.

      all            the ten default schemes (the package's default, as
                     before presets existed).
      b2c_ecommerce  a shop with customers, orders and, if it has them, site
                     events: value_rfm_ecommerce (6), lifecycle_ecommerce (7),
                     engagement_ecommerce (5), geographic (6),
                     acquisition_channel (6) - every scheme within the 4-7 of
                     B2C e-commerce. No firmographic, technographic,
                     account_health or intent (B2B accounts and demo/pricing
                     signals), no need_based (few shops run needs surveys),
                     and variants where the defaults assume subscriptions
                     (lifecycle), product features (engagement) or more than
                     seven segments (value_rfm).
      b2b_saas       a mature B2B SaaS: lifecycle (8), engagement (6),
                     firmographic (6), technographic (5), need_based (5),
                     acquisition_channel (6), intent (5), account_health (6) -
                     within its 5-8. No value_rfm (recurring revenue, not order
                     cadence, measures a SaaS account's value; account_health
                     carries value) and no geographic (its age split is a
                     consumer demographic).
      subscription   subscription media: lifecycle_subscription (6),
                     engagement (6), acquisition_channel (6) - within its 3-6.
                     The subscription status, not orders, is the relationship.

    A preset only chooses; sources still apply: a scheme whose rules read a
    field of a switched-off source is left out with a log line (see
    source_available_schemes). -#}
{% macro segment_scheme_presets() -%}
    {{ return({
        'all': ['value_rfm', 'lifecycle', 'engagement', 'firmographic', 'geographic', 'technographic',
                'need_based', 'acquisition_channel', 'intent', 'account_health'],
        'b2c_ecommerce': ['value_rfm_ecommerce', 'lifecycle_ecommerce', 'engagement_ecommerce', 'geographic',
                          'acquisition_channel'],
        'b2b_saas': ['lifecycle', 'engagement', 'firmographic', 'technographic', 'need_based',
                     'acquisition_channel', 'intent', 'account_health'],
        'subscription': ['lifecycle_subscription', 'engagement', 'acquisition_channel'],
    }) }}
{%- endmacro %}
