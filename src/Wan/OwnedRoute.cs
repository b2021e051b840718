using Mapt.Netlink;

namespace Mapt.Wan;

/// <summary>A route mapt put in place and keeps there: the netlink value and its journal text.</summary>
internal sealed record OwnedRoute(RouteInfo Route, string Text);
