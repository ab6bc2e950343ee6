using System.Net;
using System.Net.Sockets;

namespace Personalization.Silo.Hosting;

/// <summary>
/// An unused loopback TCP port, so that several hosts on one machine never collide. On Linux it is taken below the
/// kernel's ephemeral range: a port of that range, free when picked, can become the local port of an outgoing
/// connection (to the database, between silos) before its host binds it ("Address already in use").
/// </summary>
public static class FreePort
{
    private const int Lowest = 10_000;
    private const string EphemeralRange = "/proc/sys/net/ipv4/ip_local_port_range";

    public static int Pick()
    {
        var ephemeralStart = File.Exists(EphemeralRange) && int.TryParse(File.ReadAllText(EphemeralRange).Split('\t', ' ')[0], out var start) ? start : 0;
        for (var attempt = 0; ephemeralStart > Lowest + 1_000 && attempt < 100; attempt++)
        {
            var candidate = Random.Shared.Next(Lowest, ephemeralStart);
            if (IsFree(candidate))
            {
                return candidate;
            }
        }

        return Bind(0);
    }

    private static bool IsFree(int port)
    {
        try
        {
            Bind(port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int Bind(int port)
    {
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
