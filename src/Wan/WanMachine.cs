namespace Mapt.Wan;

/// <summary>
/// The WAN state machine: a pure step function from events to state entries and actions. It
/// does no I/O and reads no clock, so every field failure (a link flap mid-Provisioning, a
/// rule change during Renew, a lease lost while tearing down) is a unit test of event
/// sequences. The shell (<see cref="WanDaemon"/>) runs the actions and feeds their outcome
/// back as events (ApplyDone, TeardownDone ...).
///
/// Two rules carry the design. Every way out of a configured state goes through TearingDown,
/// which undoes the whole journal, MAP-T and its IPv6 routes together (never one without the
/// other). And after a teardown the next state is decided by <see cref="Settle"/> from the
/// facts alone (link, IPv6, device, lease, stop requested), so no event order can strand the
/// machine in a state whose precondition is gone.
/// </summary>
public sealed class WanMachine
{
    private bool _link;
    private bool _ipv6;
    private bool _mapDevice;
    private bool _dhcpRunning;
    private bool _stopping;
    private bool _retryAfterTeardown;
    private WanStep _step = new();

    public WanMachine(bool mapDeviceReady = true) => _mapDevice = mapDeviceReady;

    public WanState State { get; private set; } = WanState.WaitingForLink;

    /// <summary>Why the current state was entered.</summary>
    public string Reason { get; private set; } = "started";

    /// <summary>The MAP content of the newest usable reply ("" when none, or withdrawn).</summary>
    public string Offered { get; private set; } = "";

    /// <summary>The MAP content configured on the system ("" when nothing is applied).</summary>
    public string Applied { get; private set; } = "";

    /// <summary>The MAP content an Apply or Replace under way is configuring.</summary>
    public string Applying { get; private set; } = "";

    public bool LinkUp => _link;
    public bool Ipv6Ready => _ipv6;
    public bool MapDeviceReady => _mapDevice;

    public WanStep Handle(WanEvent e)
    {
        _step = new WanStep();
        if (State == WanState.Stopped)
            return _step;
        switch (e.Kind)
        {
            case WanEventKind.LinkDown: OnLinkDown(e); break;
            case WanEventKind.LinkUp: OnLinkUp(e); break;
            case WanEventKind.Ipv6Ready: _ipv6 = true; StartDhcpIfReady(Why(e, "IPv6 ready on the WAN")); break;
            case WanEventKind.Ipv6Lost: OnIpv6Lost(e); break;
            case WanEventKind.MapDeviceReady: _mapDevice = true; StartDhcpIfReady(Why(e, "MAP device present")); break;
            case WanEventKind.MapDeviceGone: OnMapDeviceGone(e); break;
            case WanEventKind.LeaseReply: OnReply(e); break;
            case WanEventKind.RenewStarted:
                if (State == WanState.Up)
                    Enter(WanState.Renewing, Why(e, "T1 reached, renewing the lease"));
                break;
            case WanEventKind.LeaseLost: OnLeaseLost(e); break;
            case WanEventKind.ApplyDone: OnApplyDone(e); break;
            case WanEventKind.ApplyFailed: OnApplyFailed(e); break;
            case WanEventKind.TeardownDone: OnTeardownDone(e); break;
            case WanEventKind.RouteLost:
                if (State is WanState.Up or WanState.Renewing)
                    Do(WanActionKind.RestoreRoutes, Why(e, "a route mapt owns was deleted"));
                break;
            case WanEventKind.Stop: OnStop(e); break;
            case WanEventKind.Handover:
                // No teardown and no Release: the journal (run directory) and the stored lease
                // (flash) let the next start take the configuration over as it is.
                _stopping = true;
                Enter(WanState.Stopped, Why(e, "stopping for a restart; MAP-T left in place for the next start to take over"));
                Do(WanActionKind.Exit, Why(e, "handover"));
                break;
            case WanEventKind.Reload: Do(WanActionKind.Reload, Why(e, "SIGHUP")); break;
            case WanEventKind.ForceRenew:
                if (State == WanState.Up)
                {
                    Enter(WanState.Renewing, Why(e, "Renew forced (SIGUSR1)"));
                    Do(WanActionKind.Renew, Why(e, "Renew forced (SIGUSR1)"));
                }
                break;
            case WanEventKind.Dump: Do(WanActionKind.Dump, Why(e, "SIGUSR2")); break;
            case WanEventKind.RetryDue:
                if (State == WanState.Soliciting && Offered.Length != 0)
                    Provision(Why(e, "retrying the apply"));
                break;
        }
        return _step;
    }

    /// <summary>
    /// At start, before any event: a previous run's configuration for <paramref name="mapContent"/>
    /// was found in place and taken over (or repaired). The facts it needs were read by the
    /// shell (link up, IPv6 ready, MAP device there); the machine is Up at once, and DHCPv6
    /// confirms the lease (<see cref="WanActionKind.ResumeDhcp"/>).
    /// </summary>
    public WanStep Adopt(string mapContent, string why)
    {
        _step = new WanStep();
        _link = true;
        _ipv6 = true;
        _mapDevice = true;
        _dhcpRunning = true;
        Offered = mapContent;
        Applied = mapContent;
        Enter(WanState.Up, why);
        Do(WanActionKind.ResumeDhcp, why);
        return _step;
    }

    /// <summary>True while something may be configured on the system (also mid-apply).</summary>
    private bool Configured => Applied.Length != 0 || State is WanState.Provisioning or WanState.Changing;

    private void OnLinkDown(WanEvent e)
    {
        _link = false;
        _ipv6 = false;
        string why = Why(e, "WAN link down");
        if (_dhcpRunning)
        {
            // The lease (Offered) is kept: on link up it is confirmed with Rebind, not thrown away.
            Do(WanActionKind.StopDhcp, why);
            _dhcpRunning = false;
        }
        if (State == WanState.TearingDown)
            return; // Settle will land in WaitingForLink.
        if (Configured)
            TearDown(why);
        else
            Enter(WanState.WaitingForLink, why);
    }

    private void OnLinkUp(WanEvent e)
    {
        _link = true;
        if (State == WanState.WaitingForLink)
            Enter(WanState.WaitingForIPv6, Why(e, "WAN link up, waiting for a link-local address and an IPv6 default route"));
    }

    private void OnIpv6Lost(WanEvent e)
    {
        _ipv6 = false;
        string why = Why(e, "IPv6 lost on the WAN");
        if (State == WanState.TearingDown)
            return;
        if (_dhcpRunning)
        {
            Do(WanActionKind.StopDhcp, why);
            _dhcpRunning = false;
        }
        if (Configured)
            TearDown(why);
        else if (State is WanState.Soliciting)
            Enter(WanState.WaitingForIPv6, why);
    }

    private void OnMapDeviceGone(WanEvent e)
    {
        _mapDevice = false;
        string why = Why(e, "MAP device gone");
        if (State == WanState.TearingDown)
            return;
        if (Configured)
            TearDown(why);
        else if (State == WanState.Soliciting)
        {
            Do(WanActionKind.StopDhcp, why);
            _dhcpRunning = false;
            Enter(WanState.WaitingForIPv6, why);
        }
    }

    private void StartDhcpIfReady(string why)
    {
        if (State != WanState.WaitingForIPv6 || !_link || !_ipv6)
            return;
        if (!_mapDevice)
        {
            Reason = why + "; waiting for the MAP device";
            return;
        }
        if (Offered.Length != 0)
        {
            Enter(WanState.Soliciting, why + "; confirming the lease held before the link went down");
            Do(WanActionKind.Rebind, why);
        }
        else
        {
            Enter(WanState.Soliciting, why + "; soliciting a lease with MAP-T");
            Do(WanActionKind.Solicit, why);
        }
        _dhcpRunning = true;
    }

    private void OnReply(WanEvent e)
    {
        string content = e.MapContent;
        switch (State)
        {
            case WanState.Soliciting:
                Offered = content;
                if (content.Length == 0)
                    Reason = Why(e, "reply without MAP-T; nothing to configure, DHCPv6 goes on");
                else
                    Provision(Why(e, "lease with MAP-T obtained"));
                break;
            case WanState.Up:
            case WanState.Renewing:
                Offered = content;
                if (content == Applied)
                    Enter(WanState.Up, Why(e, "lease renewed, MAP content unchanged"));
                else if (content.Length == 0)
                    TearDown(Why(e, "MAP-T withdrawn by the server"));
                else
                    Change(Why(e, "MAP content changed"));
                break;
            case WanState.Provisioning:
            case WanState.Changing:
            case WanState.TearingDown:
                // Decided when the apply or teardown under way finishes.
                Offered = content;
                break;
        }
    }

    private void OnLeaseLost(WanEvent e)
    {
        Offered = "";
        string why = Why(e, "lease lost");
        if (State == WanState.TearingDown)
            return;
        if (Configured)
            TearDown(why);
        else if (State == WanState.Soliciting)
            Reason = why;
    }

    private void OnApplyDone(WanEvent e)
    {
        if (State is not (WanState.Provisioning or WanState.Changing))
            return;
        Applied = Applying;
        Applying = "";
        if (Offered == Applied)
            Enter(WanState.Up, Why(e, State == WanState.Changing ? "new MAP plan in place" : "MAP-T configured"));
        else if (Offered.Length == 0)
            TearDown(Why(e, "MAP-T configured, but the lease lost it meanwhile"));
        else
            Change(Why(e, "MAP content changed while applying"));
    }

    private void OnApplyFailed(WanEvent e)
    {
        if (State is not (WanState.Provisioning or WanState.Changing))
            return;
        // Whatever part was applied is in the journal; take it all down and retry later
        // rather than run half a configuration.
        Applied = Applying.Length != 0 ? Applying : Applied;
        Applying = "";
        _retryAfterTeardown = true;
        TearDown(Why(e, "apply failed"));
    }

    private void OnTeardownDone(WanEvent e)
    {
        if (State != WanState.TearingDown)
            return;
        Applied = "";
        Settle(Why(e, "teardown complete"));
    }

    private void OnStop(WanEvent e)
    {
        _stopping = true;
        string why = Why(e, "stop requested");
        if (State == WanState.TearingDown)
            return;
        if (Configured)
            TearDown(why);
        else
            Settle(why);
    }

    /// <summary>After a teardown (or a stop with nothing applied): the next state from the facts alone.</summary>
    private void Settle(string why)
    {
        if (_stopping)
        {
            if (_dhcpRunning)
                Do(WanActionKind.Release, why);
            _dhcpRunning = false;
            Enter(WanState.Stopped, why);
            Do(WanActionKind.Exit, why);
            return;
        }
        if (!_link)
        {
            Enter(WanState.WaitingForLink, why + "; WAN link is down");
            return;
        }
        if (!_ipv6 || !_mapDevice)
        {
            Enter(WanState.WaitingForIPv6, why + (!_ipv6 ? "; waiting for IPv6 on the WAN" : "; waiting for the MAP device"));
            return;
        }
        if (_retryAfterTeardown)
        {
            _retryAfterTeardown = false;
            Enter(WanState.Soliciting, why + "; the apply will be retried");
            Do(WanActionKind.ScheduleRetry, why);
            return;
        }
        if (!_dhcpRunning)
        {
            // Not expected (DHCPv6 runs whenever link and IPv6 are there), but never strand.
            Enter(WanState.WaitingForIPv6, why);
            StartDhcpIfReady(why);
            return;
        }
        if (Offered.Length != 0)
            Provision(why + "; applying the current lease");
        else
            Enter(WanState.Soliciting, why + "; waiting for a lease with MAP-T");
    }

    private void Provision(string why)
    {
        Enter(WanState.Provisioning, why);
        Applying = Offered;
        Do(WanActionKind.Apply, why);
    }

    private void Change(string why)
    {
        Enter(WanState.Changing, why);
        Applying = Offered;
        Do(WanActionKind.Replace, why);
    }

    private void TearDown(string why)
    {
        Applying = "";
        Enter(WanState.TearingDown, why);
        Do(WanActionKind.Teardown, why);
    }

    private void Enter(WanState to, string why)
    {
        _step.Transitions.Add(new WanTransition(State, to, why));
        State = to;
        Reason = why;
    }

    private void Do(WanActionKind kind, string why) => _step.Actions.Add(new WanAction(kind, why));

    private static string Why(WanEvent e, string what) => e.Detail.Length == 0 ? what : what + " (" + e.Detail + ")";
}
