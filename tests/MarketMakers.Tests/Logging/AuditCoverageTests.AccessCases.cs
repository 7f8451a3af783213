using System.Net.Http.Json;
using System.Text.Json;
using MarketMakers.Core.Identity;
using MarketMakers.Tests.Infrastructure;
using MarketMakers.Tests.MarketMaking;
using MarketMakers.Tests.Orders;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;


namespace MarketMakers.Tests.Logging;

public sealed partial class AuditCoverageTests
{
    /// <summary>Sign-in, password, clients and staff: the identity endpoints.</summary>
    private Dictionary<string, Case> AccessCases() => new()
    {
        ["POST /api/v1/auth/logout"] = new(
            async _ =>
            {
                var user = await app.CreateUserAsync(Roles.Approved);
                var signedIn = app.CreateApiClient(await app.LoginAsync(user.Email!, UserFactory.DefaultPassword));
                return () => signedIn.PostAsync("/api/v1/auth/logout", null);
            },
            null,
            "LOGOUT"),
        ["POST /api/v1/auth/password"] = new(
            async _ =>
            {
                var user = await app.CreateUserAsync(Roles.Approved);
                var anonymous = app.CreateApiClient();
                return () => anonymous.PostAsJsonAsync("/api/v1/auth/password",
                    new { email = user.Email, password = UserFactory.DefaultPassword, new_password = "Changed-Passw0rd-2" });
            },
            async _ =>
            {
                var user = await app.CreateUserAsync(Roles.Approved);
                var anonymous = app.CreateApiClient();
                return () => anonymous.PostAsJsonAsync("/api/v1/auth/password",
                    new { email = user.Email, password = "wrong-password-1", new_password = "Changed-Passw0rd-2" });
            },
            "PASSWORD_CHANGED"),
        ["POST /api/v1/auth/login"] = new(
            async _ =>
            {
                var user = await app.CreateUserAsync(Roles.Approved);
                var anonymous = app.CreateApiClient();
                return () => anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = UserFactory.DefaultPassword });
            },
            async _ =>
            {
                var user = await app.CreateUserAsync(Roles.Approved);
                var anonymous = app.CreateApiClient();
                return () => anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = "wrong-password-1" });
            },
            "LOGIN_SUCCESS",
            "LOGIN_FAILED"),

        ["POST /api/v1/admin/users"] = new(
            admin => Ready(() => admin.PostAsJsonAsync(OrderApi.Users, NewClientBody("FUNDED"))),
            admin => Ready(() => admin.PostAsJsonAsync(OrderApi.Users, NewClientBody("MARKET_MAKER")))),

        ["POST /api/v1/admin/users/{id}/deposits"] = new(
            async admin =>
            {
                var client = await OrderApi.CreateClientAsync(app, admin);
                return () => admin.PostAsJsonAsync($"{OrderApi.Users}/{client.UserId}/deposits", new { amount = "100", notes = "coverage" });
            },
            async admin =>
            {
                var client = await OrderApi.CreateClientAsync(app, admin);
                return () => admin.PostAsJsonAsync($"{OrderApi.Users}/{client.UserId}/deposits", new { amount = "-1" });
            }),

        ["PUT /api/v1/admin/users/{id}"] = new(
            async admin =>
            {
                var client = await OrderApi.CreateClientAsync(app, admin, Roles.Pending);
                return () => admin.PutAsJsonAsync($"{OrderApi.Users}/{client.UserId}", new { role = "APPROVED" });
            },
            admin => Ready(() => admin.PutAsJsonAsync($"{OrderApi.Users}/{Guid.NewGuid()}", new { role = "ADMIN" })),
            "USER_ROLE_CHANGED",
            "USER_ROLE_CHANGED"),

        ["POST /api/v1/admin/staff"] = new(
            admin => Ready(() => admin.PostAsJsonAsync("/api/v1/admin/staff", new
            {
                email = $"staff-{Guid.NewGuid():N}@test.local", password = UserFactory.DefaultPassword, first_name = "S", last_name = "T", role = "AUDITOR",
            })),
            admin => Ready(() => admin.PostAsJsonAsync("/api/v1/admin/staff", new
            {
                email = $"staff-{Guid.NewGuid():N}@test.local", password = UserFactory.DefaultPassword, first_name = "S", last_name = "T", role = "FUNDED",
            })),
            "USER_CREATED",
            "USER_CREATED"),

        ["PUT /api/v1/admin/staff/{id}"] = new(
            async _ =>
            {
                var member = await app.CreateUserAsync(Roles.Operator);
                var admin = await app.CreateAdminClientAsync();
                return () => admin.PutAsJsonAsync($"/api/v1/admin/staff/{member.Id}", new { is_active = false });
            },
            async _ =>
            {
                var client = await app.CreateUserAsync(Roles.Funded);
                var admin = await app.CreateAdminClientAsync();
                return () => admin.PutAsJsonAsync($"/api/v1/admin/staff/{client.Id}", new { is_active = false });
            },
            "USER_DEACTIVATED",
            "USER_DEACTIVATED"),

        ["POST /api/v1/admin/staff/{id}/reset-two-factor"] = new(
            async _ =>
            {
                var member = await app.CreateUserAsync(Roles.Auditor);
                var admin = await app.CreateAdminClientAsync();
                return () => admin.PostAsync($"/api/v1/admin/staff/{member.Id}/reset-two-factor", null);
            },
            admin => Ready(() => admin.PostAsync($"/api/v1/admin/staff/{Guid.NewGuid()}/reset-two-factor", null)),
            "TWO_FACTOR_RESET",
            "TWO_FACTOR_RESET"),
    };
}
