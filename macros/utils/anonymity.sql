{#- Quasi-identifiers: columns that single a person out when combined
    (age, gender, place), although none names anyone. The marts carry them
    generalised (age band, postal prefix) and k-anonymous: every published
    combination is shared by at least k customers, or its most specific
    columns are suppressed (NULL) for the customers of the small groups. -#}

{#- The columns customer_360 may publish as quasi-identifiers, finest
    first. -#}
{% macro quasi_identifier_candidates() -%}
    {{ return(['postal_prefix', 'region', 'country_code', 'age_band', 'gender', 'market_region', 'seniority']) }}
{%- endmacro %}


{#- audience_segments_quasi_identifiers, validated: the quasi-identifiers
    of customer_360 in suppression order (the first is given up first). -#}
{% macro quasi_identifiers() -%}
    {%- set name = 'audience_segments_quasi_identifiers' -%}
    {%- set value = var(name, ['postal_prefix', 'region', 'country_code', 'age_band', 'gender', 'market_region']) -%}
    {%- set candidates = audience_segments.quasi_identifier_candidates() -%}
    {%- if value is string or value is mapping or value is not iterable -%}
        {{ audience_segments.segment_config_error(none, none, none,
            name ~ ' must be a list of customer_360 columns, got ' ~ value | string) }}
    {%- endif -%}
    {%- for column in value -%}
        {%- if column not in candidates -%}
            {{ audience_segments.segment_config_error(none, none, none,
                name ~ ": '" ~ column ~ "' is not a quasi-identifier column of customer_360"
                ~ audience_segments.did_you_mean(column | string, candidates)
                ~ ' (one of ' ~ candidates | join(', ') ~ ')') }}
        {%- endif -%}
    {%- endfor -%}
    {%- if value | unique | list | length != value | length -%}
        {{ audience_segments.segment_config_error(none, none, none, name ~ ' lists a column twice: ' ~ value | join(', ')) }}
    {%- endif -%}
    {{ return(value | list) }}
{%- endmacro %}


{#- audience_segments_k_anonymity, validated: the smallest group a
    combination of quasi-identifiers may describe (1 turns suppression off). -#}
{% macro k_anonymity() -%}
    {{ return(audience_segments.checked_number(
        var('audience_segments_k_anonymity', 5), 'audience_segments_k_anonymity', low=1, high=1000000, whole=true
    )) }}
{%- endmacro %}


{#- audience_segments_postal_prefix_length, validated: how many leading
    characters of the postal code customer_360 keeps (0: none). -#}
{% macro postal_prefix_length() -%}
    {{ return(audience_segments.checked_number(
        var('audience_segments_postal_prefix_length', 2), 'audience_segments_postal_prefix_length',
        low=0, high=10, whole=true
    )) }}
{%- endmacro %}


{% macro postal_prefix(postal_code) -%}
    {{ return(adapter.dispatch('postal_prefix', 'audience_segments')(postal_code)) }}
{%- endmacro %}

{% macro default__postal_prefix(postal_code) -%}
    {%- set length = audience_segments.postal_prefix_length() -%}
    {%- if length == 0 -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        upper(substring(replace({{ postal_code }}, ' ', ''), 1, {{ length }}))
    {%- endif -%}
{%- endmacro %}


{#- A select over `relation` giving `key` and every column of `columns`,
    k-anonymous by greedy local suppression. Customers whose combination of
    all the columns is shared by at least k keep every value; of the rest,
    those whose combination without the first column is shared by at least
    k of the rest lose the first column; and so on, until the last few lose
    every column. Counting only the customers not yet placed is what makes
    each published combination hold at least k customers (NULLs group
    together, so a natural NULL only merges groups). When fewer than k lose
    every column, the smallest group of the most suppressed level joins
    them, so that group too holds k or more. Only a population smaller than
    k cannot be k-anonymous; the k_anonymous test then fails. -#}
{% macro k_anonymous_select(relation, key, columns, k) -%}
    {%- if k <= 1 or columns | length == 0 -%}
        select {{ key }}{% for column in columns %}, {{ column }}{% endfor %}
        from {{ relation }}
    {%- else -%}
        {%- set last = columns | length -%}
        with
        {% for level in range(last) -%}
            level_{{ level }} as (

                select
                    {{ key }},
                    {{ columns | join(', ') }},
                    count(*) over (partition by {{ columns[level:] | join(', ') }}) as group_size,
                    min({{ key }}) over (partition by {{ columns[level:] | join(', ') }}) as group_id
                from {{ relation if level == 0 else 'level_' ~ (level - 1) }}
                {%- if level > 0 %}
                    where group_size < {{ k }}
                {%- endif %}

            ),

        {% endfor -%}
        placed as (

            {% for level in range(last) -%}
                select {{ key }}, {{ level }} as suppression_level, group_id, group_size
                from level_{{ level }}
                where group_size >= {{ k }}
                union all
            {% endfor -%}
            select {{ key }}, {{ last }} as suppression_level, null as group_id, null as group_size
            from level_{{ last - 1 }}
            where group_size < {{ k }}

        ),

        residue as (

            select count(*) as residue_size from placed where suppression_level = {{ last }}

        ),

        donor as (

            select suppression_level, group_id
            from placed
            where suppression_level < {{ last }}
            group by suppression_level, group_id, group_size
            order by suppression_level desc, group_size asc, group_id asc
            limit 1

        ),

        levels as (

            select
                placed.{{ key }},
                case
                    when
                        residue.residue_size between 1 and {{ k - 1 }}
                        and placed.suppression_level = donor.suppression_level
                        and placed.group_id = donor.group_id
                        then {{ last }}
                    else placed.suppression_level
                end as suppression_level
            from placed
            cross join residue
            left join donor
                on placed.suppression_level = donor.suppression_level

        )

        select
            levels.{{ key }},
            {%- for column in columns %}
                {#- A NULL of the column's own type. #}
                case when levels.suppression_level <= {{ loop.index0 }} then source.{{ column }} end as {{ column }}
                {{- ',' if not loop.last }}
            {%- endfor %}
        from levels
        inner join {{ relation }} as source
            on levels.{{ key }} = source.{{ key }}
    {%- endif -%}
{%- endmacro %}
