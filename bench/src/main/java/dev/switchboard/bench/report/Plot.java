package dev.switchboard.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Latency percentile plots (HdrHistogram style: x is the percentile on a 1/(1-p) log scale, y the
 * latency on a log scale), drawn with Java2D, headless, into a PNG.
 */
public final class Plot {

    public record Series(String label, Color color, boolean dashed, double[][] points) {}

    public record Panel(String title, List<Series> series) {}

    static final Color OURS = new Color(0x1f77b4);
    static final Color PEER = new Color(0xd62728);
    static final Color[] PALETTE = {
        new Color(0x1f77b4),
        new Color(0x2ca02c),
        new Color(0x9467bd),
        new Color(0xff7f0e),
        new Color(0x8c564b),
        new Color(0x17becf),
        new Color(0xe377c2),
        new Color(0x7f7f7f),
        new Color(0xbcbd22)
    };

    private Plot() {}

    public static void render(List<Panel> panels, Path file, String caption) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int cols = panels.size() <= 1 ? 1 : 2;
        int rows = (panels.size() + cols - 1) / cols;
        int pw = 700;
        int ph = 460;
        int top = 40;
        BufferedImage img = new BufferedImage(cols * pw, Math.max(1, rows) * ph + top, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(caption, 16, 26);
        for (int i = 0; i < panels.size(); i++) {
            drawPanel(g, panels.get(i), (i % cols) * pw, top + (i / cols) * ph, pw, ph);
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static double x(double percentile) {
        double p = Math.min(percentile, 99.9999);
        return Math.log10(100.0 / (100.0 - p));
    }

    private static void drawPanel(Graphics2D g, Panel panel, int ox, int oy, int w, int h) {
        int left = ox + 70;
        int right = ox + w - 20;
        int topY = oy + 40;
        int bottom = oy + h - 60;
        double xMax = 4;
        double yMin = Double.MAX_VALUE;
        double yMax = -Double.MAX_VALUE;
        for (Series s : panel.series) {
            for (double[] p : s.points) {
                xMax = Math.max(xMax, Math.min(6, x(p[0])));
                double v = Math.max(0.01, p[1]);
                yMin = Math.min(yMin, v);
                yMax = Math.max(yMax, v);
            }
        }
        xMax = Math.ceil(xMax);
        if (yMin == Double.MAX_VALUE) {
            yMin = 0.1;
            yMax = 10;
        }
        double ly0 = Math.floor(Math.log10(yMin));
        double ly1 = Math.ceil(Math.log10(yMax));
        if (ly1 <= ly0) {
            ly1 = ly0 + 1;
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(panel.title, left, oy + 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        // grid and ticks
        String[] xl = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%"};
        for (int i = 0; i <= (int) xMax; i++) {
            int px = left + (int) ((right - left) * i / xMax);
            g.setColor(new Color(0xdddddd));
            g.drawLine(px, topY, px, bottom);
            g.setColor(Color.DARK_GRAY);
            g.drawString(xl[i], px - 14, bottom + 16);
        }
        for (double d = ly0; d <= ly1 + 1e-9; d++) {
            for (int m : new int[] {1, 2, 5}) {
                double v = m * Math.pow(10, d);
                double lv = Math.log10(v);
                if (lv > ly1 + 1e-9) {
                    break;
                }
                int py = bottom - (int) ((bottom - topY) * (lv - ly0) / (ly1 - ly0));
                g.setColor(m == 1 ? new Color(0xcccccc) : new Color(0xeeeeee));
                g.drawLine(left, py, right, py);
                g.setColor(Color.DARK_GRAY);
                g.drawString(fmt(v), ox + 8, py + 4);
            }
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, topY, right - left, bottom - topY);
        g.drawString("percentile", (left + right) / 2 - 25, bottom + 34);
        g.drawString("ms", ox + 8, topY - 8);
        // curves
        int legendY = topY + 16;
        for (Series s : panel.series) {
            if (s.points.length == 0) {
                continue;
            }
            Path2D path = new Path2D.Double();
            boolean first = true;
            for (double[] p : s.points) {
                double px = left + (right - left) * Math.min(x(p[0]), xMax) / xMax;
                double py = bottom - (bottom - topY) * (Math.log10(Math.max(0.01, p[1])) - ly0) / (ly1 - ly0);
                if (first) {
                    path.moveTo(px, py);
                    first = false;
                } else {
                    path.lineTo(px, py);
                }
            }
            g.setColor(s.color);
            g.setStroke(
                    s.dashed
                            ? new BasicStroke(
                                    2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {7f, 5f}, 0f)
                            : new BasicStroke(2.2f));
            g.draw(path);
            g.setStroke(new BasicStroke(1f));
            g.fillRect(left + 10, legendY - 8, 14, 4);
            g.setColor(Color.BLACK);
            g.drawString(s.label, left + 30, legendY - 3);
            legendY += 15;
        }
    }

    private static String fmt(double v) {
        if (v >= 1) {
            return String.format("%.0f", v);
        }
        return String.format("%s", Double.toString(v)).replaceAll("0+$", "");
    }
}
