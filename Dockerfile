# One container: the Blazor Server app and the REST API. PostgreSQL and Redis come from configuration:
#   docker run -p 8080:8080 \
#     -e ConnectionStrings__Postgres="Host=db;Database=marketmakers;Username=mm;Password=..." \
#     -e Redis__Configuration="redis:6379" -e Admin__Email=ops@example.com -e Admin__Password=... marketmakers
# It publishes exactly as ./test.sh checks: `dotnet publish src/MarketMakers.Web -c Release`.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props .editorconfig MarketMakers.sln ./
COPY src/MarketMakers.Core/MarketMakers.Core.csproj src/MarketMakers.Core/
COPY src/MarketMakers.Web/MarketMakers.Web.csproj src/MarketMakers.Web/
RUN dotnet restore src/MarketMakers.Web/MarketMakers.Web.csproj
COPY src/ src/
RUN dotnet publish src/MarketMakers.Web -c Release -o /app/publish --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/publish .
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_gcServer=1
EXPOSE 8080
# The image's built-in non-root user.
USER $APP_UID
HEALTHCHECK --interval=15s --timeout=3s --start-period=40s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1
ENTRYPOINT ["dotnet", "MarketMakers.Web.dll"]
