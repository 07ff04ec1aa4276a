{#- Quintile score, 5 = best, 1 = worst, NULL when the measure is NULL.

    percent_rank gives tied customers the same rank, so equal behaviour always
    gets an equal score (quintiles may then be uneven where ties are large);
    ntile would split a tie across two scores at random. `better` says which
    direction is good: 'higher' (frequency, spend) or 'lower' (days since the
    last order). -#}
{% macro quintile_score(measure, better='higher') -%}
    {{ return(adapter.dispatch('quintile_score', 'audience_segments')(measure, better)) }}
{%- endmacro %}

{% macro default__quintile_score(measure, better='higher') -%}
    {%- if better not in ('higher', 'lower') -%}
        {{ exceptions.raise_compiler_error(
            "quintile_score: better must be 'higher' or 'lower', got '"
            ~ better ~ "' for measure " ~ measure
        ) }}
    {%- endif -%}
    case
        when {{ measure }} is not null then
            least(5, 1 + cast(floor(5 * percent_rank() over (
                partition by case when {{ measure }} is null then 1 else 0 end
                order by {{ measure }} {{ 'asc' if better == 'higher' else 'desc' }}
            )) as {{ dbt.type_int() }}))
    end
{%- endmacro %}
