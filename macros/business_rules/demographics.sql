{% macro age_band(age) -%}
    {{ return(adapter.dispatch('age_band', 'audience_segments')(age)) }}
{%- endmacro %}

{% macro default__age_band(age) -%}
    case
        when {{ age }} is null then null
        when {{ age }} < 25 then '18_24'
        when {{ age }} < 35 then '25_34'
        when {{ age }} < 45 then '35_44'
        when {{ age }} < 55 then '45_54'
        when {{ age }} < 65 then '55_64'
        else '65_plus'
    end
{%- endmacro %}


{% macro market_region(country_code) -%}
    {{ return(adapter.dispatch('market_region', 'audience_segments')(country_code)) }}
{%- endmacro %}

{#- Sales territories, not continents: Mexico sells with North America. -#}
{% macro default__market_region(country_code) -%}
    case
        when {{ country_code }} in ('US', 'CA', 'MX') then 'north_america'
        when {{ country_code }} in ('BR', 'AR') then 'latin_america'
        when {{ country_code }} in (
            'GB', 'IE', 'DE', 'FR', 'ES', 'IT', 'NL', 'BE', 'CH', 'AT', 'SE',
            'NO', 'DK', 'FI', 'PL', 'PT'
        ) then 'europe'
        when {{ country_code }} in ('IN', 'JP', 'SG', 'AU', 'NZ', 'CN', 'KR')
            then 'asia_pacific'
        when {{ country_code }} in ('ZA', 'AE') then 'middle_east_africa'
    end
{%- endmacro %}


{#- Whole years from birth_date to as_of_date: one less when the birthday
    of that year is still to come. -#}
{% macro age_in_years(birth_date, as_of_date) -%}
    {%- set years = dbt.datediff(birth_date, as_of_date, 'year') -%}
    cast(
        {{ years }}
        - case when {{ dbt.dateadd('year', years, birth_date) }} > {{ as_of_date }} then 1 else 0 end
        as {{ dbt.type_int() }}
    )
{%- endmacro %}
