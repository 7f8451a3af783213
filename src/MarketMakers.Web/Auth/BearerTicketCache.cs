using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;

namespace MarketMakers.Web.Auth;

/// <summary>
/// Unprotected bearer tickets by token text, so that a client's every request does not pay the data-protection
/// unprotect again (key ring lookup, subkey derivation, HMAC, AES, ticket deserialization: the api-load bench's
/// authentication cost per request). Only what Unprotect itself would return is cached, so nothing a token can prove
/// changes: the expiry is still checked on every request by the caller, and so are the session state (stamp, active,
/// revoked session ids) through <see cref="Core.Identity.SessionCache"/>. Tokens that fail to unprotect are never
/// cached (garbage must not fill the cache). Each caller gets its own copy of the principal and properties, as from
/// Unprotect. Bounded: at <see cref="Capacity"/> entries the cache starts over (expired tokens go with it).
/// </summary>
public sealed class BearerTicketCache
{
    public const int Capacity = 10_000;
    private readonly ConcurrentDictionary<string, AuthenticationTicket> _tickets = new(StringComparer.Ordinal);

    public AuthenticationTicket? Unprotect(string token, ISecureDataFormat<AuthenticationTicket> protector)
    {
        if (!_tickets.TryGetValue(token, out var ticket))
        {
            ticket = protector.Unprotect(token);
            if (ticket is null)
            {
                return null;
            }

            if (_tickets.Count >= Capacity)
            {
                _tickets.Clear();
            }

            _tickets[token] = ticket;
        }

        return new AuthenticationTicket(ticket.Principal.Clone(), ticket.Properties.Clone(), ticket.AuthenticationScheme);
    }
}
